using Peakformer.Engine.Randomness;

namespace Peakformer.Learning.Splits;

/// <summary>
/// A seeded train/validation split that keeps the class proportions: of each class's n_c examples, round(r * n_c)
/// (midpoints to even, as <see cref="RandomSplit"/>) go to validation, chosen by shuffling that class's indices
/// with its own stream <c>Rng.ForStream(seed, class)</c>, so a class's split depends only on the seed, its label
/// and its examples. Per class there is no clamping: a class of one example goes to training when r &lt; 0.5.
/// Both sides come back sorted; the result is the same on any thread count (nothing runs in parallel).
/// </summary>
public static class StratifiedSplit
{
    public static (int[] Train, int[] Validation) Indices(IReadOnlyList<int> labels, double validationFraction, ulong seed)
    {
        if (!(validationFraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(validationFraction), $"StratifiedSplit: fraction {validationFraction} is outside [0, 1].");
        var train = new List<int>(labels.Count);
        var validation = new List<int>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            Rng.ForStream(seed, unchecked((ulong)group.Key)).Shuffle(members.AsSpan());
            int count = (int)Math.Round(validationFraction * members.Length);
            validation.AddRange(members[..count]);
            train.AddRange(members[count..]);
        }
        train.Sort();
        validation.Sort();
        return (train.ToArray(), validation.ToArray());
    }
}
