using FsCheck;
using FsCheck.Fluent;
using Peakformer.Learning.Splits;

namespace Peakformer.Tests.Learning.Splits;

public class GroupedSplitTests
{
    [Fact]
    public void No_group_is_on_both_sides_and_the_validation_share_is_close_to_r()
    {
        // 300 waveforms giving 1 to 40 windows each, in the order a window table lists them.
        var rng = new Peakformer.Engine.Randomness.Rng(5);
        var groups = Enumerable.Range(0, 300).SelectMany(w => Enumerable.Repeat(1000 + w, 1 + rng.NextInt(40))).ToArray();
        var (train, val) = GroupedSplit.Indices(groups, 0.4, 42);
        Assert.Empty(train.Select(i => groups[i]).Intersect(val.Select(i => groups[i])));
        Assert.Equal(Enumerable.Range(0, groups.Length), train.Concat(val).Order());
        Assert.InRange(val.Length, 0.4 * groups.Length - 20, 0.4 * groups.Length + 20);
    }

    [Fact]
    public void Any_groups_give_a_partition_with_whole_groups_within_half_the_largest_group_of_r_n()
    {
        Prop.ForAll(Gen.Choose(0, 30).ArrayOf().ToArbitrary(), Gen.Choose(0, 100).ToArbitrary(), (groups, percent) =>
        {
            double r = percent / 100.0;
            var (train, val) = GroupedSplit.Indices(groups, r, 11);
            if (!train.Concat(val).Order().SequenceEqual(Enumerable.Range(0, groups.Length))) return false;
            if (train.Select(i => groups[i]).Intersect(val.Select(i => groups[i])).Any()) return false;
            int largest = groups.Length == 0 ? 0 : groups.GroupBy(g => g).Max(g => g.Count());
            bool within = Math.Abs(val.Length - r * groups.Length) <= largest / 2.0;
            // With two or more groups a side the walk left empty gets one group, which may break the bound.
            bool clamped = groups.Distinct().Count() >= 2
                && (val.Select(i => groups[i]).Distinct().Count() == 1 || train.Select(i => groups[i]).Distinct().Count() == 1);
            return within || clamped;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Groups_of_equal_size_send_round_r_times_the_groups_to_validation()
    {
        var groups = Enumerable.Range(0, 50).SelectMany(g => Enumerable.Repeat($"sample {g}", 4)).ToArray();
        var (train, val) = GroupedSplit.Indices(groups, 0.3, 1);
        Assert.Equal(15 * 4, val.Length);
        Assert.Equal(35 * 4, train.Length);
    }

    [Fact]
    public void Two_or_more_groups_leave_one_on_each_side()
    {
        Assert.Single(GroupedSplit.Indices(new[] { 7, 7, 8 }, 0.01, 3).Validation.Select(i => new[] { 7, 7, 8 }[i]).Distinct());
        var (train, val) = GroupedSplit.Indices(new[] { 7, 7, 8 }, 0.99, 3);
        Assert.NotEmpty(train);
        Assert.NotEmpty(val);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_another_seed_another()
    {
        var groups = Enumerable.Range(0, 400).Select(i => i / 5).ToArray();
        var (train, val) = GroupedSplit.Indices(groups, 0.4, 42);
        Assert.Equal(val, GroupedSplit.Indices(groups, 0.4, 42).Validation);
        Assert.Equal(train, GroupedSplit.Indices(groups, 0.4, 42).Train);
        Assert.NotEqual(val, GroupedSplit.Indices(groups, 0.4, 43).Validation);
    }
}
