using Peakformer.Learning.Splits;

namespace Peakformer.Tests.Learning.Splits;

public class RandomSplitTests
{
    // Pinned from Training.Split.Indices at commit c517841, before it moved here: the npz training paths (peak,
    // per-bin and count models, and so the quickstart's figures) split waveforms with it and must keep doing so.
    [Theory]
    [InlineData(1UL, new[] { 1, 3, 5, 7, 12, 13, 15, 19 })]
    [InlineData(42UL, new[] { 0, 3, 4, 5, 8, 17, 18, 19 })]
    [InlineData(43UL, new[] { 0, 3, 5, 6, 7, 8, 14, 15 })]
    public void The_split_of_twenty_waveforms_is_the_one_earlier_versions_made(ulong seed, int[] validation)
    {
        var (train, val) = RandomSplit.Indices(20, 0.4, seed);
        Assert.Equal(validation, val);
        Assert.Equal(Enumerable.Range(0, 20).Except(validation), train);
    }

    [Theory]
    [InlineData(3000, 0.4, 42UL, 1200, 16680267751432181302UL)] // the quickstart's training set with the default seed
    [InlineData(1000, 0.4, 1UL, 400, 1994735595592487452UL)]
    [InlineData(2, 0.9, 5UL, 1, 12638152016183539244UL)]       // clamped: one example stays on each side
    [InlineData(7, 0.25, 9UL, 2, 586861065889900642UL)]
    public void Larger_splits_are_the_ones_earlier_versions_made(int n, double fraction, ulong seed, int count, ulong hash)
    {
        var (train, val) = RandomSplit.Indices(n, fraction, seed);
        Assert.Equal(count, val.Length);
        Assert.Equal(n - count, train.Length);
        Assert.Equal(hash, Fnv(val));
    }

    [Fact]
    public void The_split_is_seeded_and_disjoint()
    {
        var (train, val) = RandomSplit.Indices(100, 0.4, 42);
        Assert.Equal(60, train.Length);
        Assert.Equal(40, val.Length);
        Assert.Empty(train.Intersect(val));
        Assert.Equal(train, RandomSplit.Indices(100, 0.4, 42).Train);
        Assert.NotEqual(train, RandomSplit.Indices(100, 0.4, 43).Train);
    }

    /// <summary>FNV-1a over the indices in order.</summary>
    private static ulong Fnv(int[] indices)
    {
        ulong h = 14695981039346656037UL;
        foreach (int i in indices) { h ^= (uint)i; h *= 1099511628211UL; }
        return h;
    }
}
