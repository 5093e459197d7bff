namespace Peakformer.Cli;

/// <summary>Finds the repository root (for bench peer scripts) and the shared folder beside it.</summary>
public static class RepositoryLayout
{
    public static string? Root()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Peakformer.slnx"))) return dir.FullName;
        return null;
    }

    public static string? SharedBench(string? root)
    {
        if (root is null) return null;
        string path = Path.GetFullPath(Path.Combine(root, "..", "shared", "bench"));
        return File.Exists(Path.Combine(path, "torch_peer.py")) ? path : null;
    }
}
