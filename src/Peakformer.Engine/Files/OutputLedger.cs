using System.Text.Json;
using System.Text.Json.Serialization;

namespace Peakformer.Engine.Files;

/// <summary>
/// How Peakformer knows what it wrote: each folder it writes an output into holds <c>.peakformer-outputs.json</c>,
/// a list of the files and report folders it put there with their size and modification time (and, for a folder,
/// the same for every file inside). <c>--force</c> replaces a path only when this ledger lists it and it is
/// unchanged since; anything else (a user's file, a folder with a file added, a device) is refused. A lost or
/// damaged ledger only makes Peakformer refuse more, never delete more.
/// </summary>
public static class OutputLedger
{
    public const string FileName = ".peakformer-outputs.json";
    /// <summary>
    /// Held (an exclusive open, which is flock on Linux, shared file systems included) by whoever rewrites the ledger
    /// of its folder, so shards writing into one folder from several processes or machines lose no entry. It goes
    /// with the ledger when the ledger lists nothing; a writer that locked it just as it went tries again.
    /// </summary>
    public const string LockName = FileName + ".lock";
    /// <summary>How long a writer waits for another's ledger update (milliseconds each) before giving up its own entry.</summary>
    public static readonly TimeSpan LockWait = TimeSpan.FromSeconds(60);
    private const long MaxLedgerBytes = 16L << 20;
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>One file: its size and last-write time in ticks (UTC).</summary>
    public sealed record Stamp(long Bytes, long Modified)
    {
        public static Stamp Of(FileInfo file) => new(file.Length, file.LastWriteTimeUtc.Ticks);
    }

    /// <summary>A ledger entry: a file's stamp, or a folder's files by name.</summary>
    public sealed record Entry(Stamp? File, Dictionary<string, Stamp>? Folder);

    /// <summary>Records a file or folder just moved into place.</summary>
    public static void Record(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var entry = Directory.Exists(full)
            ? new Entry(null, new DirectoryInfo(full).EnumerateFiles().ToDictionary(f => f.Name, Stamp.Of))
            : new Entry(Stamp.Of(new FileInfo(full)), null);
        Update(Path.GetDirectoryName(full)!, entries => entries[Path.GetFileName(full)] = entry);
    }

    /// <summary>
    /// Null when Peakformer may replace what is at the path (nothing, or its own unchanged output); otherwise the
    /// reason it may not, to show the user.
    /// </summary>
    public static string? WhyNotReplaceable(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        var kind = NativeFiles.KindOf(full);
        if (kind == PathKind.Missing) return null;
        if (kind is PathKind.SymbolicLink) return "is a symbolic link, not a file Peakformer wrote";
        if (kind is PathKind.Other) return "is a device, pipe or socket, not a regular file";
        var entries = Read(Path.GetDirectoryName(full)!);
        const string foreign = "was not written by Peakformer";
        if (!entries.TryGetValue(Path.GetFileName(full), out var entry)) return foreign;
        if (kind == PathKind.RegularFile)
            return entry.File is { } stamp && stamp == Stamp.Of(new FileInfo(full)) ? null : entry.File is null ? foreign : "was changed since Peakformer wrote it";
        if (entry.Folder is not { } files) return foreign;
        foreach (var item in new DirectoryInfo(full).EnumerateFileSystemInfos())
        {
            if (item is DirectoryInfo || NativeFiles.KindOf(item.FullName) != PathKind.RegularFile)
                return $"holds {item.Name}, which Peakformer did not write there";
            if (!files.TryGetValue(item.Name, out var stamp)) return $"holds {item.Name}, which Peakformer did not write there";
            if (stamp != Stamp.Of((FileInfo)item)) return $"holds {item.Name}, changed since Peakformer wrote it";
        }
        return null;
    }

    /// <summary>
    /// What is at a path now, as a value to compare later: nothing, a file's size and time, a folder's files, or
    /// another kind of thing. A writer takes it when it starts and checks it before renaming its result into place,
    /// so whatever appeared or changed at the path meanwhile (a user's file, a link, a device) is never replaced.
    /// </summary>
    public static string Snapshot(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        return NativeFiles.KindOf(full) switch
        {
            PathKind.RegularFile => "file " + Stamp.Of(new FileInfo(full)),
            PathKind.Directory => "folder " + string.Join("; ", new DirectoryInfo(full).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal)
                .Select(i => i is FileInfo f ? $"{f.Name} {Stamp.Of(f)}" : $"{i.Name} folder")),
            var kind => kind.ToString(),
        };
    }

    /// <summary>Throws an IOException when the path no longer holds what <see cref="Snapshot"/> saw.</summary>
    public static void CheckUnchanged(string path, string snapshot)
    {
        if (Path.GetFileName(path.TrimEnd(Path.DirectorySeparatorChar)) is FileName or LockName)
            throw new IOException($"{path}: this name is Peakformer's ledger of its outputs; choose another output name");
        if (Snapshot(path) != snapshot)
            throw new IOException($"{path}: changed while Peakformer was writing its new version there; the new output is not put in its place");
    }

    /// <summary>
    /// Deletes a file Peakformer wrote and nobody changed since (a training state no longer wanted), and forgets it;
    /// anything else at the path is left alone. The ledger goes too once it lists nothing.
    /// </summary>
    public static void Delete(string path)
    {
        string full = Path.GetFullPath(path);
        if (NativeFiles.KindOf(full) != PathKind.RegularFile || WhyNotReplaceable(full) is not null) return;
        File.Delete(full);
        Update(Path.GetDirectoryName(full)!, entries => entries.Remove(Path.GetFileName(full)));
    }

    /// <summary>
    /// The folder's ledger lock, once no other process holds it (retried for up to <see cref="LockWait"/>); null when
    /// it cannot be had (a read-only folder, or the wait ran out).
    /// </summary>
    internal static FileStream? Lock(string folder)
    {
        string path = Path.Combine(folder, LockName);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (NativeFiles.KindOf(path) is not (PathKind.Missing or PathKind.RegularFile)) return null;
                var held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                if (File.Exists(path)) return held;
                held.Dispose(); // removed by the writer that held it before (its ledger emptied): lock the new one
                throw new IOException("the ledger's lock file was removed");
            }
            catch (Exception e) when (e is UnauthorizedAccessException or DirectoryNotFoundException or PathTooLongException)
            {
                return null;
            }
            catch (IOException) when (clock.Elapsed < LockWait)
            {
                // Another process is updating this ledger: a short wait, growing to 50 ms.
                Thread.Sleep(Math.Min(1 + attempt, 50));
            }
            catch (IOException)
            {
                return null;
            }
        }
    }

    private static Dictionary<string, Entry> Read(string folder)
    {
        string path = Path.Combine(folder, FileName);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists || info.Length > MaxLedgerBytes || NativeFiles.KindOf(path) != PathKind.RegularFile) return [];
            return JsonSerializer.Deserialize<Dictionary<string, Entry>>(System.IO.File.ReadAllBytes(path), Json) ?? [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            return [];
        }
    }

    // Read, change, write back through a temporary and a rename, under the folder's lock (which also orders this
    // process's threads: each takes its own open of the lock file); entries whose path is gone are dropped.
    private static void Update(string folder, Action<Dictionary<string, Entry>> change)
    {
        using var held = Lock(folder);
        if (held is null) return; // without its entry a later --force refuses the output, which is safe
        var entries = Read(folder);
        change(entries);
        foreach (string name in entries.Keys.ToList())
            if (NativeFiles.KindOf(Path.Combine(folder, name)) == PathKind.Missing) entries.Remove(name);
        string target = Path.Combine(folder, FileName);
        if (NativeFiles.KindOf(target) is not (PathKind.Missing or PathKind.RegularFile)) return;
        string? temporary = null;
        try
        {
            if (entries.Count == 0)
            {
                System.IO.File.Delete(target);
                System.IO.File.Delete(Path.Combine(folder, LockName)); // still held: a writer waiting opens a new one
            }
            else
            {
                using (var stream = Scratch.CreateFile(target))
                {
                    temporary = stream.Name;
                    stream.Write(JsonSerializer.SerializeToUtf8Bytes(entries, Json));
                }
                System.IO.File.Move(temporary, target, overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The output itself is in place; without its entry a later --force refuses it, which is safe.
        }
        finally
        {
            if (temporary is not null) Scratch.Discard(temporary);
        }
    }
}
