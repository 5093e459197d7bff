using System.Globalization;

namespace Peakformer.Sharding;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> (0-based, as Slurm's SLURM_ARRAY_TASK_ID in an array 0-3): the one
/// home of "which part of the work is mine". Work is cut into blocks (an event, a chunk of the workflow's loop); shard i
/// takes blocks [B i / N, B (i + 1) / N), so the shards' parts follow each other in shard order and together are the
/// whole, and each block is processed as the single run processes it.
/// </summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The most shards of one job: far more than any array a site allows, small enough to catch a typo.</summary>
    public const int MaxCount = 100_000;

    /// <summary>"I/N" with 0 &lt;= I &lt; N.</summary>
    public static Shard Parse(string text, string option = "--shard")
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count is >= 1 and <= MaxCount && index < count)
            return new Shard(index, count);
        throw InputException.At(null, null, option, $"I/N, shard I (0-based, 0 <= I < N) of N <= {MaxCount:N0} shards, e.g. 0/4 for the first of four", $"'{text}'");
    }

    /// <summary>
    /// This shard's items [First, End) of <paramref name="total"/>, cut at multiples of <paramref name="block"/>
    /// (the last block may be short). A shard gets no items when there are fewer blocks than shards.
    /// </summary>
    public (long First, long End) Range(long total, long block)
    {
        if (total < 0) throw new ArgumentOutOfRangeException(nameof(total));
        if (block < 1) throw new ArgumentOutOfRangeException(nameof(block));
        long blocks = (total + block - 1) / block;
        long first = (long)((Int128)blocks * Index / Count) * block, end = (long)((Int128)blocks * (Index + 1) / Count) * block;
        return (Math.Min(first, total), Math.Min(end, total));
    }

    /// <summary>Items [First, End) of a run that may be sharded: all of them without a shard.</summary>
    public static (long First, long End) RangeOf(Shard? shard, long total, long block) => shard?.Range(total, block) ?? (0, total);

    public override string ToString() => $"{Index}/{Count}";
}
