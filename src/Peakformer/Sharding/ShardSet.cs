namespace Peakformer.Sharding;

/// <summary>
/// The outputs of one sharded job, put in shard order and checked to belong together before they are merged: each
/// has a status (<see cref="ShardStatus"/>) that lists it, says done and names the same command, settings and shard
/// count as the others, and every shard 0..N-1 is there exactly once. A status names its outputs by full path as
/// they were written; a folder of shard outputs moved or copied elsewhere (results brought back from a cluster) is
/// matched by each output's path relative to its status file.
/// </summary>
public static class ShardSet
{
    /// <summary>The inputs in shard order, or a one-line error naming the input and what is wrong.</summary>
    public static IReadOnlyList<(string Path, ShardStatus Status)> Order(IReadOnlyList<string> inputs)
    {
        if (inputs.Count == 0) throw new InputException("merge: expected the outputs of the shards to merge, found none");
        var statuses = new Dictionary<string, Dictionary<string, ShardStatus>>(StringComparer.Ordinal); // folder -> output -> status
        var found = inputs.Select(i => (Path: i, Status: StatusOf(i, statuses))).ToList();
        var (path0, first) = found[0];
        foreach (var (path, status) in found)
        {
            if (status.State != ShardStatus.Done)
                throw new InputException($"{path}: shard {status.Shard} is {status.State}{(status.Message is null ? "" : $" ({status.Message})")}, not done");
            if (status.Command != first.Command)
                throw new InputException($"{path}: written by {status.Command}, {path0} by {first.Command}: not shards of one job");
            if (status.ShardCount != first.ShardCount)
                throw new InputException($"{path}: shard {status.Shard} of {status.ShardCount}, {path0} of {first.ShardCount}: not shards of one job");
            if (Rewritten(status, path) is { } changed)
                throw new InputException($"{path}: {changed} since shard {status.Shard} finished (another run wrote it): run that shard again");
            if (status.Settings != first.Settings)
                throw new InputException($"{path}: settings '{status.Settings}' differ from {path0}'s '{first.Settings}': not shards of one job");
        }
        foreach (var twice in found.GroupBy(f => f.Status.ShardIndex).Where(g => g.Count() > 1))
            throw new InputException($"merge: shard {twice.Key}/{first.ShardCount} given twice ({string.Join(", ", twice.Select(t => t.Path))})");
        var missing = Enumerable.Range(0, first.ShardCount).Except(found.Select(f => f.Status.ShardIndex)).ToList();
        if (missing.Count > 0)
            throw new InputException($"merge: expected all {first.ShardCount} shards, missing {string.Join(", ", missing.Take(10).Select(m => $"{m}/{first.ShardCount}"))}{(missing.Count > 10 ? ", ..." : "")}");
        return found.OrderBy(f => f.Status.ShardIndex).ToList();
    }

    /// <summary>
    /// The status of a shard's output, its outputs where they are now: OUT.status.json beside the file, that of the
    /// folder holding it (a report folder's counts.csv), or any status in its folder that lists it among its outputs
    /// (a --peaks table). The statuses of a folder are read once, into <paramref name="statuses"/>, so finding the
    /// status of each of N tables is linear in N.
    /// </summary>
    private static ShardStatus StatusOf(string output, Dictionary<string, Dictionary<string, ShardStatus>> statuses)
    {
        string full = Path.GetFullPath(output);
        if (!File.Exists(full)) throw new InputException($"{output}: no such file");
        string folder = Path.GetDirectoryName(full)!;
        foreach (string candidate in new[] { ShardStatus.PathFor(full), ShardStatus.PathFor(folder) })
            if (File.Exists(candidate) && Moved(ShardStatus.Read(candidate), candidate) is var beside && Lists(beside, full)) return beside;
        if (!statuses.TryGetValue(folder, out var listed)) statuses[folder] = listed = Listed(folder);
        if (listed.TryGetValue(full, out var status) || listed.TryGetValue(folder, out status)) return status;
        throw new InputException($"{output}: no shard status lists it ({Path.GetFileName(ShardStatus.PathFor(full))} is written beside each output of a --shard run); merge joins the outputs of --shard runs");
    }

    /// <summary>Every output that a status file of the folder lists, with its status (the first in name order where two list one).</summary>
    private static Dictionary<string, ShardStatus> Listed(string folder)
    {
        var listed = new Dictionary<string, ShardStatus>(StringComparer.Ordinal);
        foreach (string candidate in Directory.EnumerateFiles(folder, "*.status.json").Order(StringComparer.Ordinal))
        {
            ShardStatus status;
            try { status = Moved(ShardStatus.Read(candidate), candidate); }
            catch (InputException) { continue; } // another file that happens to end so
            foreach (string o in status.Outputs) listed.TryAdd(o, status);
        }
        return listed;
    }

    /// <summary>
    /// The status with its outputs where they are now: a status is written beside its first output
    /// (<see cref="ShardStatus.PathFor"/>), so each output keeps its place relative to the status file's folder
    /// when the whole folder moves. Where nothing moved, the outputs are as written.
    /// </summary>
    private static ShardStatus Moved(ShardStatus status, string statusPath)
    {
        if (status.Outputs.Count == 0) return status;
        string then = Path.GetDirectoryName(status.Outputs[0].TrimEnd(Path.DirectorySeparatorChar))!;
        string now = Path.GetDirectoryName(Path.GetFullPath(statusPath))!;
        if (then == now) return status;
        return status with { Outputs = status.Outputs.Select(o => Path.GetFullPath(Path.Combine(now, Path.GetRelativePath(then, o)))).ToList() };
    }

    /// <summary>What differs between an output file now and as its shard left it, or null when nothing does.</summary>
    private static string? Rewritten(ShardStatus status, string output)
    {
        string full = Path.GetFullPath(output);
        int i = status.Outputs.ToList().IndexOf(full);
        if (i < 0 || status.Stamps is null || i >= status.Stamps.Count || status.Stamps[i] is not { } then) return null;
        var now = ShardOutputStamp.Of(full);
        if (now is null) return "gone";
        if (now.Bytes != then.Bytes) return $"{now.Bytes:N0} bytes, {then.Bytes:N0} when";
        return now.WrittenUtc != then.WrittenUtc ? $"written at {now.WrittenUtc:u}, {then.WrittenUtc:u} when" : null;
    }

    private static bool Lists(ShardStatus status, string full) =>
        status.Outputs.Any(o => o == full || full.StartsWith(o + Path.DirectorySeparatorChar, StringComparison.Ordinal));
}
