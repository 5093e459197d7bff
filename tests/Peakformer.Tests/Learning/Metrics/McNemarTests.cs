using System.Text.Json;
using Peakformer.Learning.Metrics;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Learning.Metrics;

public class McNemarTests
{
    /// <summary>tools/golden/make_vit_attention_golden.py: scipy.stats.binomtest(b, b + c, 0.5), two-sided.</summary>
    [Fact]
    public void Exact_p_values_match_scipys_binomial_test()
    {
        using var golden = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path("vit_attention.json")));
        foreach (var row in golden.RootElement.GetProperty("mcnemar").EnumerateArray())
        {
            long b = row.GetProperty("b").GetInt64(), c = row.GetProperty("c").GetInt64();
            double expected = row.GetProperty("p").GetDouble(), found = McNemar.ExactP(b, c);
            Assert.True(Math.Abs(expected - found) <= 1e-10 + 1e-9 * expected, $"b {b}, c {c}: expected {expected:G12}, found {found:G12}");
            Assert.Equal(found, McNemar.ExactP(c, b));
        }
    }

    [Fact]
    public void Difference_standard_error_is_closed_form()
    {
        // N = 100, b = 10, c = 4: sqrt(14 - 36 / 100) / 100.
        Assert.Equal(Math.Sqrt(13.64) / 100, McNemar.DifferenceStandardError(10, 4, 100), 15);
        // 7 of 7 discordant pairs one way: 2 * 2^-7.
        Assert.Equal(2.0 / 128, McNemar.ExactP(7, 0), 15);
    }
}
