using Peakformer.Engine.Randomness;

namespace Peakformer.Engine.Tests.Randomness;

public class RngStateTests
{
    [Fact]
    public void A_restored_state_continues_the_stream_exactly_including_a_spare_normal()
    {
        var a = new Rng(7);
        for (int i = 0; i < 5; i++) a.NextUInt64();
        a.NextNormal(); // leaves a spare normal behind
        var b = new Rng(123);
        b.SetState(a.GetState());
        Assert.Equal(a.NextNormal(), b.NextNormal());
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void A_malformed_state_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new Rng(1).SetState([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new Rng(1).SetState([0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void A_reseeded_generator_draws_what_a_new_one_with_that_seed_draws()
    {
        var reused = new Rng(3);
        reused.NextNormal(); // leaves a spare normal behind, which a reseed must drop
        foreach (ulong seed in new ulong[] { 0, 1, 42, Rng.Mix(9, 4) })
        {
            reused.Reseed(seed);
            var fresh = new Rng(seed);
            Assert.Equal(seed, reused.Seed);
            Assert.Equal(fresh.NextNormal(), reused.NextNormal());
            for (int i = 0; i < 100; i++) Assert.Equal(fresh.NextUInt64(), reused.NextUInt64());
        }
    }
}
