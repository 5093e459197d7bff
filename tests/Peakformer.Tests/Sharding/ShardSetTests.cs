using Peakformer.Sharding;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Sharding;

/// <summary>
/// Which status belongs to which output, for many shards at once: a table written beside another output (predict's
/// --peaks) is found through the statuses of its folder, read once for all, and a folder moved elsewhere still
/// matches by the outputs' places relative to their status files.
/// </summary>
public class ShardSetTests
{
    /// <summary>N shards' statuses, each beside its counts table a{i}.csv and listing its peaks table p{i}.csv as well.</summary>
    private static void WriteShards(TempFolder folder, int shards)
    {
        for (int i = 0; i < shards; i++)
        {
            File.WriteAllText(folder.File($"a{i}.csv"), "n\n");
            File.WriteAllText(folder.File($"p{i}.csv"), "p\n");
            var status = new ShardStatus
            {
                Command = "predict", Settings = "--model deriv", ShardIndex = i, ShardCount = shards, State = ShardStatus.Done,
                Outputs = [folder.File($"a{i}.csv"), folder.File($"p{i}.csv")],
            };
            File.WriteAllText(ShardStatus.PathFor(folder.File($"a{i}.csv")), status.ToJson());
        }
        File.WriteAllText(folder.File("notes.status.json"), "not a status"); // skipped, as any file that only shares the ending
    }

    [Fact]
    public void Tables_listed_by_statuses_beside_other_outputs_come_back_in_shard_order()
    {
        using var folder = new TempFolder();
        const int shards = 120;
        WriteShards(folder, shards);
        var inputs = Enumerable.Range(0, shards).Reverse().Select(i => folder.File($"p{i}.csv")).ToList();
        var order = ShardSet.Order(inputs);
        Assert.Equal(Enumerable.Range(0, shards), order.Select(o => o.Status.ShardIndex));
        Assert.Equal(Enumerable.Range(0, shards).Select(i => folder.File($"p{i}.csv")), order.Select(o => o.Path));
        var e = Assert.Throws<InputException>(() => ShardSet.Order([.. inputs.Skip(1), folder.File("notes.status.json")]));
        Assert.Contains("no shard status lists it", e.Message);
    }

    [Fact]
    public void A_folder_of_shards_moved_elsewhere_is_matched_by_relative_paths()
    {
        using var from = new TempFolder();
        using var to = new TempFolder();
        const int shards = 5;
        WriteShards(from, shards);
        string moved = Path.Combine(to.Path, "back-from-cluster");
        Directory.Move(from.Path, moved);
        var order = ShardSet.Order(Enumerable.Range(0, shards).Select(i => Path.Combine(moved, $"p{i}.csv")).ToList());
        Assert.Equal(Enumerable.Range(0, shards), order.Select(o => o.Status.ShardIndex));
        Assert.Equal(Path.Combine(moved, "p3.csv"), order[3].Status.Outputs[1]);
        Assert.Equal(5, ShardSet.Order(Enumerable.Range(0, shards).Select(i => Path.Combine(moved, $"a{i}.csv")).ToList()).Count);
        Directory.CreateDirectory(from.Path); // for its Dispose
    }
}
