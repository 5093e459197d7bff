using Peakformer.Engine.Files;

namespace Peakformer.Cli;

/// <summary>
/// Checks an output path before any work. Its folder must exist; something already at the path is replaced only
/// with --force, and only when Peakformer wrote it and it is unchanged since (<see cref="OutputLedger"/>): a user's
/// file, a folder with other files, a device or a link is refused, with or without --force.
/// </summary>
public static class OutputPath
{
    /// <summary>A file output; <paramref name="inputs"/> are the files the command reads, which it must not replace.</summary>
    public static string Check(string path, bool force, string option, params string?[] inputs) => CheckFile(path, force, option, inputs, ledger: true);

    private static string CheckFile(string path, bool force, string option, string?[] inputs, bool ledger)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InputException($"{option}: expected a file path, found nothing");
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder)) throw new InputException($"{option} {path}: folder {folder} does not exist");
        if (NativeFiles.KindOf(full) == PathKind.Directory) throw new InputException($"{option} {path}: expected a file, found a folder");
        if (Path.GetFileName(full) is OutputLedger.FileName or OutputLedger.LockName) throw new InputException($"{option} {path}: this name is Peakformer's ledger of its outputs; choose another name");
        foreach (string? input in inputs)
            if (input is not null && SamePath(input, full))
                throw new InputException($"{option} {path}: is also an input of this command; choose another output path");
        Replaceable(full, path, force, option, "file exists", ledger);
        return full;
    }

    /// <summary>
    /// The checkpoint of a run being resumed: it is rewritten, so it must be a regular file or missing and no input of
    /// the run. It need not be in the ledger: a run folder copied elsewhere (new times, new ledger) still resumes,
    /// since its training state is read and checked as Peakformer's.
    /// </summary>
    public static string CheckResumed(string path, string option, params string?[] inputs) => CheckFile(path, force: true, option, inputs, ledger: false);

    /// <summary>
    /// A folder of files written as a whole (a report): an existing one is replaced only with --force, and never when
    /// one of <paramref name="inputs"/> (the files the command reads) lies inside it.
    /// </summary>
    public static string CheckFolder(string path, bool force, string option, params string?[] inputs)
    {
        var (full, kind) = Folder(path, option);
        if (kind == PathKind.Directory && !Directory.EnumerateFileSystemEntries(full).Any()) return full;
        Replaceable(full, path, force, option, "folder is not empty");
        foreach (string? input in inputs)
            if (input is not null && Inside(input, full))
                throw new InputException($"{option} {path}: holds {input}, an input of this command; choose another output folder");
        return full;
    }

    /// <summary>
    /// A folder that a workflow fills with several named outputs (the quickstart's): it is created when missing, and
    /// each output that is already there must be one --force may replace. Other files in it are left alone.
    /// </summary>
    public static string CheckWorkFolder(string path, bool force, string option, IEnumerable<string> outputs)
    {
        var (full, kind) = Folder(path, option);
        if (kind == PathKind.Missing) return full;
        if (kind != PathKind.Directory) throw new InputException($"{option} {path}: expected a folder, found {Describe(kind)}");
        foreach (string name in outputs)
            Replaceable(Path.Combine(full, name), Path.Combine(path, name), force, option, "exists");
        return full;
    }

    private static (string Full, PathKind Kind) Folder(string path, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InputException($"{option}: expected a folder path, found nothing");
        string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        string? parent = Path.GetDirectoryName(full);
        if (parent is null || !Directory.Exists(parent)) throw new InputException($"{option} {path}: folder {parent} does not exist");
        var kind = NativeFiles.KindOf(full);
        if (kind == PathKind.RegularFile) throw new InputException($"{option} {path}: expected a folder, found a file");
        return (full, kind);
    }

    private static void Replaceable(string full, string shown, bool force, string option, string exists, bool ledger = true)
    {
        var kind = NativeFiles.KindOf(full);
        if (kind == PathKind.Missing) return;
        if (kind is PathKind.SymbolicLink or PathKind.Other)
            throw new InputException($"{option} {shown}: is {Describe(kind)}; Peakformer writes only regular files and folders: choose another path");
        if (!force) throw new InputException($"{option} {shown}: {exists} (use --force to replace an output Peakformer wrote)");
        if (ledger && OutputLedger.WhyNotReplaceable(full) is { } why)
            throw new InputException($"{option} {shown}: {why}; --force replaces only Peakformer's own outputs, unchanged since written: move it away or choose another path");
    }

    private static string Describe(PathKind kind) => kind switch
    {
        PathKind.SymbolicLink => "a symbolic link",
        PathKind.Other => "a device, pipe or socket",
        PathKind.RegularFile => "a file",
        _ => "a folder",
    };

    // An input (a path, or a spec MODEL@THRESHOLD) that lies in the folder, or is the folder.
    private static bool Inside(string input, string folder)
    {
        int at = input.LastIndexOf('@');
        foreach (string candidate in at > 0 ? [input, input[..at]] : new[] { input })
        {
            string full = Path.GetFullPath(candidate);
            if (full == folder || full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    // An input given as a path, or as a method spec MODEL@THRESHOLD, that is the output file under any spelling.
    private static bool SamePath(string input, string output)
    {
        if (NativeFiles.SameFile(input, output)) return true;
        int at = input.LastIndexOf('@');
        return at > 0 && NativeFiles.SameFile(input[..at], output);
    }
}
