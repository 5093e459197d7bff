namespace Peakformer.Sharding;

/// <summary>
/// What the status files of a folder say about each sharded job in it (a job: one command with one set of settings
/// and shard count): how many shards are done, running, silent (running, but no update for <see cref="Silence"/>:
/// killed or hung), failed or not started, items done of the total, and the throughput.
/// </summary>
public sealed record ShardStatusSummary(
    string Command, string Settings, int Shards, int Done, int Running, int Silent, int Failed, IReadOnlyList<int> Missing,
    long ItemsDone, long ItemsTotal, double RunningRatePerSecond, double OverallRatePerSecond, IReadOnlyList<(int Shard, string Message)> Failures)
{
    /// <summary>A running shard that has not written its status for this long is reported as silent.</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromMinutes(5);

    /// <summary>One summary per job whose status files lie in <paramref name="folder"/>, ordered by command and settings.</summary>
    public static IReadOnlyList<ShardStatusSummary> Of(string folder, DateTime nowUtc)
    {
        if (!Directory.Exists(folder)) throw new InputException($"{folder}: expected a folder of shard outputs, found {(File.Exists(folder) ? "a file" : "nothing")}");
        var statuses = new List<ShardStatus>();
        foreach (string path in Directory.EnumerateFiles(folder, "*.status.json"))
        {
            try { statuses.Add(ShardStatus.Read(path)); }
            catch (InputException) { } // a file that only shares the ending
        }
        return statuses
            .GroupBy(s => (s.Command, s.Settings, s.ShardCount))
            .OrderBy(g => g.Key.Command, StringComparer.Ordinal).ThenBy(g => g.Key.Settings, StringComparer.Ordinal)
            .Select(g => Summarise(g.Key.Command, g.Key.Settings, g.Key.ShardCount, [.. g], nowUtc))
            .ToList();
    }

    private static ShardStatusSummary Summarise(string command, string settings, int count, List<ShardStatus> shards, DateTime now)
    {
        // A shard run twice (re-submitted) counts once, by its latest status.
        var latest = shards.GroupBy(s => s.ShardIndex).Select(g => g.MaxBy(s => s.UpdatedUtc)!).ToList();
        bool Silent(ShardStatus s) => s.State == ShardStatus.Running && now - s.UpdatedUtc > Silence;
        var running = latest.Where(s => s.State == ShardStatus.Running && !Silent(s)).ToList();
        var missing = Enumerable.Range(0, count).Except(latest.Select(s => s.ShardIndex)).ToList();
        long done = latest.Sum(s => s.ItemsDone);
        // Throughput over the job's life: from the first start to the last end (or now, while shards run).
        var start = latest.Min(s => s.StartedUtc);
        var end = running.Count > 0 ? now : latest.Max(s => s.EndedUtc ?? s.UpdatedUtc);
        double seconds = (end - start).TotalSeconds;
        return new ShardStatusSummary(command, settings, count,
            latest.Count(s => s.State == ShardStatus.Done), running.Count, latest.Count(Silent), latest.Count(s => s.State == ShardStatus.Failed), missing,
            done, latest.Sum(s => s.ItemsTotal), running.Sum(s => s.RatePerSecond), seconds > 0 ? done / seconds : 0,
            latest.Where(s => s.State == ShardStatus.Failed).OrderBy(s => s.ShardIndex).Select(s => (s.ShardIndex, s.Message ?? "")).ToList());
    }
}
