using FsCheck;
using FsCheck.Fluent;
using Peakformer.Learning.Splits;

namespace Peakformer.Tests.Learning.Splits;

public class StratifiedSplitTests
{
    [Fact]
    public void Each_class_sends_round_r_times_its_count_to_validation()
    {
        // 10 of class 0, 7 of class 1, 3 of class 5, 1 of class -2: round(0.4 n) = 4, 3 (2.8), 1 (1.2), 0 (0.4).
        int[] labels = [.. Enumerable.Repeat(0, 10), .. Enumerable.Repeat(1, 7), .. Enumerable.Repeat(5, 3), -2];
        var rng = new Peakformer.Engine.Randomness.Rng(4);
        rng.Shuffle(labels.AsSpan());
        var (train, val) = StratifiedSplit.Indices(labels, 0.4, 42);
        Assert.Equal(4, val.Count(i => labels[i] == 0));
        Assert.Equal(3, val.Count(i => labels[i] == 1));
        Assert.Equal(1, val.Count(i => labels[i] == 5));
        Assert.Equal(0, val.Count(i => labels[i] == -2));
        Assert.Equal(Enumerable.Range(0, labels.Length), train.Concat(val).Order());
    }

    [Fact]
    public void Any_labels_and_fraction_give_round_r_n_c_per_class_and_a_partition()
    {
        Prop.ForAll(Gen.Choose(0, 4).ArrayOf().ToArbitrary(), Gen.Choose(0, 100).ToArbitrary(), (labels, percent) =>
        {
            double r = percent / 100.0;
            var (train, val) = StratifiedSplit.Indices(labels, r, 7);
            foreach (var c in labels.Distinct())
                if (val.Count(i => labels[i] == c) != (int)Math.Round(r * labels.Count(l => l == c))) return false;
            return train.Concat(val).Order().SequenceEqual(Enumerable.Range(0, labels.Length)) && train.Order().SequenceEqual(train);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var labels = Enumerable.Range(0, 200).Select(i => i % 3).ToArray();
        var (train, val) = StratifiedSplit.Indices(labels, 0.3, 42);
        Assert.Equal(val, StratifiedSplit.Indices(labels, 0.3, 42).Validation);
        Assert.Equal(train, StratifiedSplit.Indices(labels, 0.3, 42).Train);
        Assert.NotEqual(val, StratifiedSplit.Indices(labels, 0.3, 43).Validation);
    }
}
