using Peakformer.Progress;
using Peakformer.Sharding;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Sharding;

/// <summary>The status file while a shard runs: written at start, at most once per interval, and at the end; it counts the largest task.</summary>
public class ShardStatusWriterTests
{
    private static ShardStatus Status(TempFolder folder) => ShardStatus.Read(folder.File("out.csv.status.json"));

    private static ShardStatusWriter Writer(TempFolder folder, TimeSpan interval) =>
        new(folder.File("out.csv.status.json"), "predict", "--model deriv", new Shard(2, 5), [folder.File("out.csv")], interval);

    [Fact]
    public void Within_the_interval_nothing_is_rewritten_and_the_end_is_always_written()
    {
        using var folder = new TempFolder();
        var writer = Writer(folder, TimeSpan.FromHours(1));
        Assert.Equal((ShardStatus.Running, 0L, 0L), (Status(folder).State, Status(folder).ItemsDone, Status(folder).ItemsTotal));
        var progress = writer.Around(NullProgress.Instance);
        using (var task = progress.Start("rows", 100, "rows"))
            for (int i = 0; i < 100; i++) task.Advance(1);
        Assert.Equal(0L, Status(folder).ItemsDone); // an hour has not passed
        writer.Finish();
        var done = Status(folder);
        Assert.Equal((ShardStatus.Done, 100L, 100L, 2, 5), (done.State, done.ItemsDone, done.ItemsTotal, done.ShardIndex, done.ShardCount));
        Assert.NotNull(done.EndedUtc);
        Assert.Equal([folder.File("out.csv")], done.Outputs);
    }

    [Fact]
    public void It_counts_the_largest_task_and_says_why_it_failed()
    {
        using var folder = new TempFolder();
        var writer = Writer(folder, TimeSpan.Zero);
        var progress = writer.Around(NullProgress.Instance);
        using var measure = progress.Start("measuring", 10, "waveforms");
        using var rows = progress.Start("rows", 400, "rows");
        using var small = progress.Start("a detail", 3, "steps");
        rows.Advance(37);
        measure.Advance(10); // not the shard's loop
        small.Advance(3);
        Assert.Equal((37L, 400L), (Status(folder).ItemsDone, Status(folder).ItemsTotal));
        writer.Fail("error: disk full");
        Assert.Equal((ShardStatus.Failed, "error: disk full"), (Status(folder).State, Status(folder).Message));
    }
}
