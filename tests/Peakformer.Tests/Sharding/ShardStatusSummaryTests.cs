using Peakformer.Sharding;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Sharding;

/// <summary>status DIR: shards counted by state (a running shard silent for five minutes is told apart), the missing ones named, throughput from the times.</summary>
public class ShardStatusSummaryTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc);

    private static void Write(TempFolder folder, int index, string state, long done, long total, double rate, double startS, double updatedS, double? endS,
        string settings = "--events 4000", string? message = null, string name = "s")
    {
        var status = new ShardStatus
        {
            Command = "simulate", Settings = settings, ShardIndex = index, ShardCount = 6, Outputs = [folder.File($"{name}{index}.npz")], State = state,
            ItemsDone = done, ItemsTotal = total, RatePerSecond = rate, StartedUtc = T0.AddSeconds(startS), UpdatedUtc = T0.AddSeconds(updatedS),
            EndedUtc = endS is { } e ? T0.AddSeconds(e) : null, Message = message,
        };
        File.WriteAllText(ShardStatus.PathFor(folder.File($"{name}{index}.npz")), status.ToJson());
    }

    [Fact]
    public void Summary_counts_shards_by_state_and_gives_the_throughput()
    {
        using var folder = new TempFolder();
        Write(folder, 0, ShardStatus.Done, 1000, 1000, 50, 0, 20, 20);
        Write(folder, 1, ShardStatus.Done, 1000, 1000, 40, 10, 35, 35);
        Write(folder, 2, ShardStatus.Running, 300, 1000, 30, 30, 98, null);
        Write(folder, 3, ShardStatus.Running, 100, 1000, 10, 0, 60 - 400, null); // last heard of 400 s before its start: silent
        Write(folder, 4, ShardStatus.Failed, 20, 1000, 5, 5, 9, 9, message: "disk full");
        Write(folder, 0, ShardStatus.Done, 1, 1, 1, 0, 1, 1, settings: "--events 6", name: "other"); // another job in the same folder
        File.WriteAllText(folder.File("notes.status.json"), "not a status"); // left aside
        var now = T0.AddSeconds(100);
        var jobs = ShardStatusSummary.Of(folder.Path, now);
        Assert.Equal(2, jobs.Count);
        var j = jobs.Single(x => x.Settings == "--events 4000");
        Assert.Equal((6, 2, 1, 1, 1), (j.Shards, j.Done, j.Running, j.Silent, j.Failed));
        Assert.Equal([5], j.Missing);
        Assert.Equal(1000 + 1000 + 300 + 100 + 20, j.ItemsDone);
        Assert.Equal(5000, j.ItemsTotal);
        Assert.Equal(30, j.RunningRatePerSecond);
        // From the first start (0 s) to now (100 s: a shard still runs).
        Assert.Equal(2420 / 100.0, j.OverallRatePerSecond, 12);
        Assert.Equal([(4, "disk full")], j.Failures);
        var other = jobs.Single(x => x.Settings == "--events 6");
        Assert.Equal(1.0, other.OverallRatePerSecond, 12); // one item from 0 s to its end at 1 s
    }
}
