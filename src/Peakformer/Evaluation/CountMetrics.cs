namespace Peakformer.Evaluation;

/// <summary>
/// How well predicted cluster counts match the true ones: MAE, MSE, bias mean(pred - true), and resolution
/// sigma(pred - true) / mean(true), the relative spread of the count that dN/dx resolution follows.
/// </summary>
public sealed record CountMetrics(int N, double MeanTrue, double Mae, double Mse, double Bias, double Resolution)
{
    public static CountMetrics Of(IReadOnlyList<double> predicted, IReadOnlyList<double> truth)
    {
        if (predicted.Count != truth.Count) throw new ArgumentException($"CountMetrics: {predicted.Count} predictions for {truth.Count} true counts.");
        int n = truth.Count;
        if (n == 0) return new CountMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
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
        return new CountMetrics(n, meanTrue, absolute / n, squared / n, bias, meanTrue > 0 ? Math.Sqrt(variance) / meanTrue : double.NaN);
    }

    /// <summary>(baseline - model) / baseline: the fraction of the baseline's error the model removes.</summary>
    public static double Improvement(double baseline, double model) => baseline > 0 ? (baseline - model) / baseline : double.NaN;
}
