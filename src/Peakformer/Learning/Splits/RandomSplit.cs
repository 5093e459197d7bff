using Peakformer.Engine.Randomness;

namespace Peakformer.Learning.Splits;

/// <summary>
/// A seeded random train/validation split of indices 0..n-1 (as sklearn's train_test_split: shuffle, then cut):
/// round(r * n) indices (midpoints to even) go to validation, at least one and at most n - 1 when n >= 2. Both
/// sides come back sorted. Use it only when examples share no source; otherwise use <see cref="GroupedSplit"/>.
/// </summary>
public static class RandomSplit
{
    public static (int[] Train, int[] Validation) Indices(int n, double validationFraction, ulong seed)
    {
        var order = Enumerable.Range(0, n).ToArray();
        new Rng(seed).Shuffle(order.AsSpan());
        int validation = (int)Math.Round(n * validationFraction);
        if (n >= 2) validation = Math.Clamp(validation, 1, n - 1);
        var train = order[validation..];
        var val = order[..validation];
        Array.Sort(train);
        Array.Sort(val);
        return (train, val);
    }
}
