using Peakformer.Engine.Randomness;
using Peakformer.Learning.Metrics;
using Peakformer.Tests.Hostile;

namespace Peakformer.Tests.Learning.Metrics;

public class RocCurveTests
{
    [Fact]
    public void Auc_of_the_textbook_example()
    {
        // scikit-learn's roc_auc_score documentation example: y = [0, 0, 1, 1], scores [0.1, 0.4, 0.35, 0.8] → 0.75.
        var roc = RocCurve.Compute([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]);
        Assert.Equal(0.75, roc.Auc, 12);
    }

    [Fact]
    public void Auc_equals_the_fraction_of_correctly_ordered_pairs_with_ties_counting_half()
    {
        var rng = new Rng(3);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = 5 + rng.NextInt(200);
            // Coarse scores so that ties are common.
            var scores = Enumerable.Range(0, n).Select(_ => (float)Math.Round(rng.NextDouble() * 8) / 8).ToArray();
            var labels = Enumerable.Range(0, n).Select(i => (sbyte)(rng.NextDouble() < 0.3 + 0.4 * scores[i] ? 1 : 0)).ToArray();
            if (labels.All(l => l == 1) || labels.All(l => l == 0)) continue;
            double pairs = 0, good = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++)
                    if (labels[i] == 1 && labels[j] == 0)
                    {
                        pairs++;
                        good += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
            Assert.Equal(good / pairs, RocCurve.Compute(scores, labels).Auc, 12);
        }
    }

    [Fact]
    public void Tpr_at_fixed_fpr_and_unknown_labels()
    {
        // 10 negatives, 4 positives. Positives score 0.9, 0.8, 0.3, 0.2; one negative scores 0.85.
        float[] scores = [0.9f, 0.85f, 0.8f, 0.7f, 0.6f, 0.5f, 0.45f, 0.4f, 0.35f, 0.3f, 0.25f, 0.22f, 0.2f, 0.1f, 0.99f];
        sbyte[] labels = [1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, -1];
        var roc = RocCurve.Compute(scores, labels);
        Assert.Equal(4, roc.Positives);
        Assert.Equal(10, roc.Negatives);
        Assert.Equal(0.25, roc.TruePositiveRateAt(0.05), 12); // before the first negative only 0.9 is above
        Assert.Equal(0.5, roc.TruePositiveRateAt(0.1), 12);
        Assert.Equal(1.0, roc.TruePositiveRateAt(1), 12);
    }

    [Fact]
    public void A_single_class_is_an_error()
    {
        var e = Assert.Throws<InputException>(() => RocCurve.Compute([0.1f, 0.2f], [0, 0]));
        Assert.Contains("needs examples of both classes", e.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void A_non_finite_score_is_a_clean_error_within_a_time_bound(float bad)
    {
        // NaN != NaN kept the tie loop from advancing: it spun forever while the point lists grew.
        float[] scores = [0.2f, bad, 0.7f, 0.4f];
        sbyte[] labels = [0, 1, 1, 0];
        var e = Bounded.Within(TimeSpan.FromSeconds(5), 1 << 20, "RocCurve.Compute", () => Assert.Throws<InputException>(() => RocCurve.Compute(scores, labels, "validation")));
        Assert.StartsWith("validation: score 1 of 4 is ", e.Message);
        Assert.Contains(bad.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }
}
