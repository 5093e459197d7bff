namespace Peakformer.Learning.Metrics;

/// <summary>
/// McNemar's exact test for two classifiers on the same examples: of the n = b + c examples exactly one of them got
/// right (b: only the first, c: only the second), under "equally good" each is the first's with probability 1/2, so
/// the two-sided p-value is min(1, 2 P(X &lt;= min(b, c))) for X ~ Binomial(n, 1/2) (as scipy.stats.binomtest).
/// </summary>
public static class McNemar
{
    public static double ExactP(long b, long c)
    {
        if (b < 0 || c < 0) throw new ArgumentOutOfRangeException(nameof(b), $"McNemar: negative counts {b}, {c}.");
        long n = b + c, k = Math.Min(b, c);
        if (n == 0 || b == c) return 1;
        // log C(n, i) 2^-n summed in log space: n can be thousands, where 2^-n underflows.
        double logTerm = -n * Math.Log(2), logSum = logTerm;
        for (long i = 0; i < k; i++)
        {
            logTerm += Math.Log(n - i) - Math.Log(i + 1);
            logSum = LogAdd(logSum, logTerm);
        }
        return Math.Min(1, 2 * Math.Exp(logSum));
    }

    /// <summary>Standard error of the accuracy difference of two classifiers on the same N examples (paired): sqrt(b + c - (b - c)^2 / N) / N.</summary>
    public static double DifferenceStandardError(long b, long c, long n) =>
        n == 0 ? double.NaN : Math.Sqrt(Math.Max(0, b + c - (double)(b - c) * (b - c) / n)) / n;

    private static double LogAdd(double a, double b)
    {
        double max = Math.Max(a, b);
        return max + Math.Log(Math.Exp(a - max) + Math.Exp(b - max));
    }
}
