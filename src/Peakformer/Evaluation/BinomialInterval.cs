namespace Peakformer.Evaluation;

/// <summary>
/// The Wilson score interval of a binomial fraction k / n (efficiency, purity): unlike k/n ± sqrt(k(n-k)/n)/n it
/// stays inside [0, 1] and does not shrink to nothing at 0 or 1. The report's error bars are the 68.27% interval
/// (z = 1, "one sigma"), as scipy.stats.binomtest(k, n).proportion_ci(0.6827, method="wilson") gives it.
/// </summary>
public static class BinomialInterval
{
    /// <summary>The confidence level of one standard deviation of a normal distribution, erf(1/sqrt 2).</summary>
    public const double OneSigma = 0.6826894921370859;

    /// <summary>Said in figure captions.</summary>
    public const string Caption = "error bars: 68.3% Wilson score intervals of the binomial fraction";

    /// <summary>Lower and upper bound for k successes in n trials at z standard deviations (z = 1: 68.27%); NaN when n = 0.</summary>
    public static (double Low, double High) Wilson(long k, long n, double z = 1)
    {
        if (k < 0 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"expected 0 <= k <= n, found k = {k}, n = {n}");
        if (n == 0) return (double.NaN, double.NaN);
        double z2 = z * z, centre = (k + z2 / 2) / (n + z2);
        double half = z / (n + z2) * Math.Sqrt((double)k * (n - k) / n + z2 / 4);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
