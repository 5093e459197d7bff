using Peakformer.Engine.Randomness;
using Peakformer.Learning.Metrics;

namespace Peakformer.Vision.Evaluation;

/// <summary>Standard errors of test-set figures: accuracy as a binomial proportion, macro-F1 by a seeded bootstrap (no closed form).</summary>
public static class ImageUncertainty
{
    public const int BootstrapSamples = 200;

    /// <summary>sqrt(p (1 - p) / N).</summary>
    public static double AccuracyStandardError(double accuracy, int n) => n == 0 ? double.NaN : Math.Sqrt(accuracy * (1 - accuracy) / n);

    /// <summary>The standard deviation of macro-F1 over test sets drawn with replacement (seed fixed: same inputs, same figure).</summary>
    public static double MacroF1StandardError(IReadOnlyList<int> labels, IReadOnlyList<int> predicted, int[] classes)
    {
        int n = labels.Count;
        if (n < 2) return double.NaN;
        var rng = new Rng(20);
        var truth = new int[n];
        var guess = new int[n];
        double sum = 0, sumSquares = 0;
        for (int s = 0; s < BootstrapSamples; s++)
        {
            for (int i = 0; i < n; i++)
            {
                int j = rng.NextInt(n);
                (truth[i], guess[i]) = (labels[j], predicted[j]);
            }
            double f1 = ClassificationMetrics.Of(truth, guess, classes).MacroF1;
            sum += f1;
            sumSquares += f1 * f1;
        }
        double mean = sum / BootstrapSamples;
        return Math.Sqrt(Math.Max(0, (sumSquares - BootstrapSamples * mean * mean) / (BootstrapSamples - 1)));
    }
}
