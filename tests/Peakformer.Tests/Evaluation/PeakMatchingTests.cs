using Peakformer.Engine.Randomness;
using Peakformer.Evaluation;

namespace Peakformer.Tests.Evaluation;

public class PeakMatchingTests
{
    // Largest one-to-one matching by exhaustive search (small inputs).
    private static int Best(int[] truth, int[] found, int tol, int t = 0, ulong used = 0)
    {
        if (t == truth.Length) return 0;
        int best = Best(truth, found, tol, t + 1, used);
        for (int f = 0; f < found.Length; f++)
            if ((used & (1UL << f)) == 0 && Math.Abs(found[f] - truth[t]) <= tol)
                best = Math.Max(best, 1 + Best(truth, found, tol, t + 1, used | (1UL << f)));
        return best;
    }

    [Fact]
    public void The_sweep_finds_the_largest_one_to_one_matching()
    {
        var rng = new Rng(17);
        for (int trial = 0; trial < 300; trial++)
        {
            var truth = Enumerable.Range(0, rng.NextInt(8)).Select(_ => rng.NextInt(30)).Order().ToArray();
            var found = Enumerable.Range(0, rng.NextInt(8)).Select(_ => rng.NextInt(30)).Order().ToArray();
            int tol = rng.NextInt(4);
            var pairs = PeakMatching.Match(truth, found, tol);
            Assert.Equal(Best(truth, found, tol), pairs.Count);
            Assert.All(pairs, p => Assert.True(Math.Abs(found[p.Found] - truth[p.Truth]) <= tol));
            Assert.Equal(pairs.Count, pairs.Select(p => p.Found).Distinct().Count());
        }
    }

    [Fact]
    public void Efficiency_purity_residuals_and_pile_up()
    {
        var score = new PeakScore();
        // Truth: an isolated peak at 100 and two within 10 samples of each other at 200 and 205.
        score.Add([100, 200, 205], [101, 204, 400], tolerance: 2, samplingNs: 0.5);
        Assert.Equal(3, score.Truth);
        Assert.Equal(3, score.Found);
        Assert.Equal(2, score.Matched);       // 101-100 and 204-205 (200 has nothing within 2)
        Assert.Equal(2.0 / 3, score.Efficiency, 12);
        Assert.Equal(2.0 / 3, score.Purity, 12);
        Assert.Equal([0.5, -0.5], score.ResidualsNs);
        Assert.Equal(1, score.TruthByPileUp[0]);
        Assert.Equal(2, score.TruthByPileUp[1]);
        Assert.Equal(1.0, score.EfficiencyInPileUpBin(0));
        Assert.Equal(0.5, score.EfficiencyInPileUpBin(1));
    }
}
