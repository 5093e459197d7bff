using Peakformer.Engine.Randomness;

namespace Peakformer.Learning.Splits;

/// <summary>
/// A seeded train/validation split that keeps every group whole: all examples that share a source (the slices of
/// one recording, the spectra of one sample, the segments of one patient) land on the same side, so validation
/// never sees a source that training saw. Use it wherever examples share a source.
/// <para>
/// The groups, in order of first appearance, are shuffled with <c>new Rng(seed)</c> and walked in that order; a
/// group goes to validation when that brings the validation count closer to r * n (a tie stays in training).
/// Groups of equal size give round(r * groups) of them to validation (midpoints down). The walk is greedy, not
/// an exact best subset: a group is added only if it overshoots less than the deficit it fills, so the validation
/// count ends within half the largest group of r * n. With two or more groups each side gets at least one (this
/// clamp may exceed that bound). Both sides come back sorted; the result is the same on any thread count
/// (nothing runs in parallel).
/// </para>
/// </summary>
public static class GroupedSplit
{
    public static (int[] Train, int[] Validation) Indices<TGroup>(IReadOnlyList<TGroup> groups, double validationFraction, ulong seed)
        where TGroup : notnull
    {
        if (!(validationFraction is >= 0 and <= 1)) throw new ArgumentOutOfRangeException(nameof(validationFraction), $"GroupedSplit: fraction {validationFraction} is outside [0, 1].");
        var id = new Dictionary<TGroup, int>();
        var members = new List<List<int>>();
        for (int i = 0; i < groups.Count; i++)
        {
            if (!id.TryGetValue(groups[i], out int g))
            {
                id[groups[i]] = g = members.Count;
                members.Add([]);
            }
            members[g].Add(i);
        }
        var order = Enumerable.Range(0, members.Count).ToArray();
        new Rng(seed).Shuffle(order.AsSpan());

        double target = validationFraction * groups.Count;
        var toValidation = new bool[members.Count];
        int chosen = 0, last = -1;
        long count = 0;
        foreach (int g in order)
        {
            int size = members[g].Count;
            if (Math.Abs(count + size - target) < Math.Abs(count - target))
            {
                toValidation[g] = true;
                count += size;
                chosen++;
                last = g;
            }
        }
        if (members.Count >= 2 && chosen == 0) toValidation[order[0]] = true;
        if (members.Count >= 2 && chosen == members.Count) toValidation[last] = false;

        var train = new List<int>(groups.Count);
        var validation = new List<int>();
        for (int g = 0; g < members.Count; g++) (toValidation[g] ? validation : train).AddRange(members[g]);
        train.Sort();
        validation.Sort();
        return (train.ToArray(), validation.ToArray());
    }
}
