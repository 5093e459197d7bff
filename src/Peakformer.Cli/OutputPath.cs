namespace Peakformer.Cli;

/// <summary>Checks an output path before any work: its folder must exist and an existing file needs --force.</summary>
public static class OutputPath
{
    public static string Check(string path, bool force, string option)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new InputException($"{option}: expected a file path, found nothing");
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder)) throw new InputException($"{option} {path}: folder {folder} does not exist");
        if (Directory.Exists(full)) throw new InputException($"{option} {path}: expected a file, found a folder");
        if (File.Exists(full) && !force) throw new InputException($"{option} {path}: file exists (use --force to overwrite)");
        return full;
    }

    /// <summary>For commands that write a folder of files (reports): the folder may exist only with --force.</summary>
    public static string CheckFolder(string path, bool force, string option)
    {
        string full = Path.GetFullPath(path);
        string? parent = Path.GetDirectoryName(full.TrimEnd(Path.DirectorySeparatorChar));
        if (parent is null || !Directory.Exists(parent)) throw new InputException($"{option} {path}: folder {parent} does not exist");
        if (File.Exists(full)) throw new InputException($"{option} {path}: expected a folder, found a file");
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any() && !force)
            throw new InputException($"{option} {path}: folder is not empty (use --force to overwrite)");
        return full;
    }
}
