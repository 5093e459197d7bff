using Peakformer.Sharding;

namespace Peakformer.Tests.Sharding;

/// <summary>Shard I/N: the parser, and the ranges of N shards, which must follow each other and make up the whole at block boundaries.</summary>
public class ShardTests
{
    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData("3/4", 3, 4)]
    [InlineData("0/1", 0, 1)]
    public void Parse_reads_a_zero_based_index_of_a_count(string text, int index, int count) =>
        Assert.Equal(new Shard(index, count), Shard.Parse(text));

    [Theory]
    [InlineData("4/4")]
    [InlineData("-1/4")]
    [InlineData("1/0")]
    [InlineData("1")]
    [InlineData("1/2/3")]
    [InlineData(" 1/4")]
    [InlineData("a/b")]
    [InlineData("0/100001")]
    public void Parse_refuses_anything_else_in_one_line(string text)
    {
        var e = Assert.Throws<InputException>(() => Shard.Parse(text));
        Assert.StartsWith("--shard: expected I/N", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Shards_follow_each_other_and_cover_every_item_once_at_block_boundaries()
    {
        foreach (long total in new long[] { 0, 1, 2, 7, 63, 64, 65, 1000, 4097, 100_003 })
            foreach (long block in new long[] { 1, 3, 64, 256, 4096 })
                foreach (int count in new[] { 1, 2, 3, 4, 7, 64 })
                {
                    long next = 0;
                    for (int i = 0; i < count; i++)
                    {
                        var (first, end) = new Shard(i, count).Range(total, block);
                        Assert.Equal(next, first);
                        Assert.True(end >= first);
                        Assert.True(first % block == 0 || first == total, $"{total} {block} {count} {i}: first {first}");
                        next = end;
                    }
                    Assert.Equal(total, next);
                }
    }

    [Fact]
    public void Shards_are_balanced_to_within_a_block()
    {
        // 10 blocks over 4 shards: 2, 3, 2, 3 blocks (floor(10 i / 4) boundaries: 0, 2, 5, 7, 10).
        var sizes = Enumerable.Range(0, 4).Select(i => new Shard(i, 4).Range(1000, 100)).Select(r => r.End - r.First).ToArray();
        Assert.Equal(new long[] { 200, 300, 200, 300 }, sizes);
        Assert.Equal((0L, 1000L), Shard.RangeOf(null, 1000, 100));
    }
}
