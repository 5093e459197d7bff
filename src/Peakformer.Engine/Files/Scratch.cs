using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Peakformer.Engine.Files;

/// <summary>
/// Temporary files and folders written beside an output before they move into place, named
/// <c>.NAME.PID@HOST.GUID.tmp</c> (or <c>.parts</c>, <c>.old</c>). Every one is registered while it lives, so the
/// process removes them on every exit path that runs code (SIGINT, SIGTERM, SIGHUP, normal exit). What a killed
/// process left (SIGKILL, power loss) is removed by the next run into the same folder: a temporary whose process
/// on this host is gone is stale. An <c>.old</c> (a replaced report in the middle of a swap) goes back to its
/// name when nothing took its place.
/// </summary>
public static partial class Scratch
{
    private static readonly object Gate = new();
    private static readonly HashSet<string> Live = [];
    private static readonly Dictionary<string, string> Aside = [];
    private static readonly List<PosixSignalRegistration> Signals = [];
    private static bool _closing;
    /// <summary>This machine's name as temporaries carry it (letters, digits and '-').</summary>
    public static string Host { get; } = HostName();

    /// <summary>
    /// A new temporary file beside the target, created and registered in one step (so a signal's cleanup never
    /// misses a file created just after it ran). The stream holds the file exclusively until disposed.
    /// </summary>
    public static FileStream CreateFile(string target, int bufferSize = 1 << 16)
    {
        lock (Gate)
        {
            string path = Claim(target, "tmp");
            try
            {
                return new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize);
            }
            catch
            {
                Live.Remove(path);
                throw;
            }
        }
    }

    /// <summary>A new temporary folder beside the target, created and registered in one step.</summary>
    public static string Folder(string target, string kind = "tmp")
    {
        lock (Gate)
        {
            string path = Claim(target, kind);
            try
            {
                Directory.CreateDirectory(path);
                return path;
            }
            catch
            {
                Live.Remove(path);
                throw;
            }
        }
    }

    /// <summary>
    /// Moves an existing folder aside (a report about to be replaced) under a temporary name. Should the process stop
    /// before <see cref="Discard"/>, it goes back to its name if nothing took its place, here or in the next run's sweep.
    /// </summary>
    public static string MoveAside(string target)
    {
        lock (Gate)
        {
            string path = Claim(target, "old");
            Directory.Move(target, path);
            Aside[path] = target;
            return path;
        }
    }

    /// <summary>Puts a folder moved aside back in its place (when nothing took it) and forgets it.</summary>
    public static void RestoreAside(string path)
    {
        lock (Gate)
        {
            if (Aside.Remove(path, out string? target)) PutBack(path, target);
        }
    }

    private static string Claim(string target, string kind)
    {
        if (_closing) throw new IOException("the process is stopping: no new temporary files");
        string full = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        string folder = Path.GetDirectoryName(full)!;
        SweepStale(folder);
        string path = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}@{Host}.{Guid.NewGuid():N}.{kind}");
        if (kind != "old") Live.Add(path);
        return path;
    }

    /// <summary>The temporary moved into place (or was otherwise dealt with): no longer ours to remove.</summary>
    public static void Release(string path)
    {
        lock (Gate)
        {
            Live.Remove(path);
            Aside.Remove(path);
        }
    }

    /// <summary>Removes a temporary (file or folder) and forgets it; failures are left to the next run's sweep.</summary>
    public static void Discard(string path)
    {
        Remove(path);
        Release(path);
    }

    /// <summary>
    /// Removes the temporaries on SIGINT, SIGTERM, SIGHUP and at exit (the signal's usual effect follows).
    /// Called once by the command line; library users that want it call it too.
    /// </summary>
    public static void RemoveOnExit()
    {
        lock (Gate)
        {
            if (Signals.Count > 0) return;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();
            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP })
                Signals.Add(PosixSignalRegistration.Create(signal, _ => RemoveAll()));
        }
    }

    /// <summary>
    /// Removes every live temporary, puts folders moved aside back where nothing replaced them, and refuses new
    /// temporaries: the process is about to end. Holds the lock throughout, so no temporary appears meanwhile.
    /// </summary>
    public static void RemoveAll()
    {
        lock (Gate)
        {
            _closing = true;
            foreach (string path in Live) Remove(path);
            Live.Clear();
            foreach (var (path, target) in Aside) PutBack(path, target);
            Aside.Clear();
        }
    }

    /// <summary>Removes what dead processes of this host left in the folder (called before each new temporary there).</summary>
    public static void SweepStale(string folder)
    {
        folder = Path.GetFullPath(folder);
        IEnumerable<string> entries;
        try { entries = Directory.EnumerateFileSystemEntries(folder, ".*").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (string path in entries)
        {
            var match = TemporaryName().Match(Path.GetFileName(path));
            if (!match.Success || !IsStale(path, int.Parse(match.Groups["pid"].Value), match.Groups["host"].Value) || IsHeldOpen(path)) continue;
            if (match.Groups["kind"].Value == "old") PutBack(path, Path.Combine(folder, match.Groups["target"].Value));
            else Remove(path);
        }
    }

    /// <summary>True for a name this class makes, of any process.</summary>
    public static bool IsTemporary(string name) => TemporaryName().IsMatch(name);

    // A writer holds its temporary files open with an exclusive lock (FileShare.None is flock(LOCK_EX) on Linux):
    // a file still locked is alive whatever its name says (a process of another PID namespace on a shared disk).
    private static bool IsHeldOpen(string path)
    {
        try
        {
            IEnumerable<string> files = Directory.Exists(path) ? Directory.EnumerateFiles(path) : [path];
            foreach (string file in files)
            {
                using var probe = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None, 1);
            }
            return false;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    private static bool IsStale(string path, int pid, string host)
    {
        if (host.Length > 0 && host != Host) return false; // another machine on a shared file system: not ours to judge
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            // A live process that started after the temporary was last written has only reused the number.
            return process.StartTime.ToUniversalTime() > System.IO.File.GetLastWriteTimeUtc(path).AddSeconds(1);
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    // A folder moved aside returns to its name when that is free; when a new one took the name, the old goes.
    private static void PutBack(string path, string target)
    {
        if (NativeFiles.KindOf(target) == PathKind.Missing)
        {
            try
            {
                Directory.Move(path, target);
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        Remove(path);
    }

    private static void Remove(string path)
    {
        try
        {
            if (Directory.Exists(path) && NativeFiles.KindOf(path) == PathKind.Directory)
            {
                // Renamed first: a writer still creating files in it (a signal's cleanup runs beside the work) then
                // fails instead of refilling it while it is deleted; what is left is swept as a dead process's.
                string doomed = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path).TrimStart('.')}.{Environment.ProcessId}@{Host}.{Guid.NewGuid():N}.tmp");
                Directory.Move(path, doomed);
                Directory.Delete(doomed, recursive: true);
            }
            else System.IO.File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static string HostName()
    {
        string name = Environment.MachineName;
        var clean = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '-').ToArray());
        return clean.Length > 0 ? clean : "host";
    }

    // Also matches ".NAME.PID.GUID.tmp" as earlier versions wrote it (no host: taken as this host).
    [GeneratedRegex(@"^\.(?<target>.+)\.(?<pid>\d{1,9})(@(?<host>[A-Za-z0-9-]+))?\.(?<id>[0-9a-f]{32})\.(?<kind>tmp|parts|old)$")]
    private static partial Regex TemporaryName();
}
