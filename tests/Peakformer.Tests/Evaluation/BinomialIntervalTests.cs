using System.Text.Json;
using Peakformer.Evaluation;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Evaluation;

/// <summary>The Wilson interval against SciPy's (Golden/binomial_intervals.json, tools/golden/make_binomial_golden.py).</summary>
public class BinomialIntervalTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path("binomial_intervals.json"))).RootElement;

    public static IEnumerable<(long K, long N, double[] Wilson, double[] Exact)> Cases() =>
        Golden.GetProperty("cases").EnumerateArray().Select(c => (c.GetProperty("k").GetInt64(), c.GetProperty("n").GetInt64(),
            c.GetProperty("wilson").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
            c.GetProperty("clopper_pearson").EnumerateArray().Select(v => v.GetDouble()).ToArray()));

    [Fact]
    public void The_one_sigma_level_is_scipys()
    {
        Assert.Equal(BinomialInterval.OneSigma, Golden.GetProperty("confidence_level").GetDouble(), 15);
    }

    [Fact]
    public void Wilson_intervals_match_scipy()
    {
        foreach (var (k, n, wilson, _) in Cases())
        {
            var (low, high) = BinomialInterval.Wilson(k, n);
            Assert.True(Math.Abs(low - wilson[0]) <= 1e-12, $"k={k}, n={n}: low {low:R} against scipy {wilson[0]:R}");
            Assert.True(Math.Abs(high - wilson[1]) <= 1e-12, $"k={k}, n={n}: high {high:R} against scipy {wilson[1]:R}");
        }
    }

    [Fact]
    public void Wilson_is_not_the_exact_interval()
    {
        // 3 of 10: Clopper-Pearson is wider; a mix-up of the two methods would pass the first test only by accident.
        var (_, n, _, exact) = Cases().First(c => c.K == 3 && c.N == 10);
        var (low, high) = BinomialInterval.Wilson(3, n);
        Assert.True(high - low < exact[1] - exact[0] - 0.01);
    }

    [Fact]
    public void No_trials_give_no_interval_and_impossible_counts_throw()
    {
        var (low, high) = BinomialInterval.Wilson(0, 0);
        Assert.True(double.IsNaN(low) && double.IsNaN(high));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialInterval.Wilson(4, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => BinomialInterval.Wilson(-1, 3));
    }
}
