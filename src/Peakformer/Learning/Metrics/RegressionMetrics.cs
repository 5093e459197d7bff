namespace Peakformer.Learning.Metrics;

/// <summary>
/// How well predicted values match true ones: MAE, MSE, bias mean(pred - true), and resolution
/// sigma(pred - true) / mean(true), the relative spread of the prediction (sigma is the population standard
/// deviation, divided by N). An empty input gives NaN everywhere; a mean truth that is not positive gives a NaN
/// resolution (a relative spread needs a positive scale).
/// </summary>
public sealed record RegressionMetrics(int N, double MeanTrue, double Mae, double Mse, double Bias, double Resolution)
{
    public static RegressionMetrics Of(IReadOnlyList<double> predicted, IReadOnlyList<double> truth)
    {
        if (predicted.Count != truth.Count) throw new ArgumentException($"RegressionMetrics: {predicted.Count} predictions for {truth.Count} true values.");
        int n = truth.Count;
        if (n == 0) return new RegressionMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double absolute = 0, squared = 0, bias = 0, meanTrue = 0;
        for (int i = 0; i < n; i++)
        {
            double d = predicted[i] - truth[i];
            absolute += Math.Abs(d);
            squared += d * d;
            bias += d;
            meanTrue += truth[i];
        }
        bias /= n;
        meanTrue /= n;
        double variance = Math.Max(0, squared / n - bias * bias);
        return new RegressionMetrics(n, meanTrue, absolute / n, squared / n, bias, meanTrue > 0 ? Math.Sqrt(variance) / meanTrue : double.NaN);
    }

    /// <summary>(baseline - model) / baseline: the fraction of the baseline's error the model removes.</summary>
    public static double Improvement(double baseline, double model) => baseline > 0 ? (baseline - model) / baseline : double.NaN;
}
