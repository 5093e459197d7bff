using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Physics;

/// <summary>
/// Electrons per primary cluster in He/iC4H10 90/10 (Fischle et al., NIM A301 (1991) 202, as tabulated in
/// docs/SIMULATION.md): measured P(n) for n = 1..19 and the 1/n^2 tail P(n) = 10.9 / n^2 percent beyond,
/// truncated at <see cref="MaxSize"/> (default 35) and renormalised. The mean is then about 1.59.
/// </summary>
public sealed class ClusterSize
{
    private static readonly double[] MeasuredPercent =
        [76.6, 12.5, 4.6, 2.0, 1.2, 0.75, 0.5, 0.36, 0.25, 0.19, 0.14, 0.10, 0.08, 0.06, 0.048, 0.043, 0.038, 0.034, 0.030];

    private readonly double[] _cdf;

    public ClusterSize(int maxSize = 35)
    {
        if (maxSize < 1) throw new ArgumentOutOfRangeException(nameof(maxSize), $"cluster size maximum must be at least 1, got {maxSize}.");
        MaxSize = maxSize;
        Probabilities = new double[maxSize + 1];
        double total = 0;
        for (int n = 1; n <= maxSize; n++)
        {
            Probabilities[n] = n <= MeasuredPercent.Length ? MeasuredPercent[n - 1] : 10.9 / ((double)n * n);
            total += Probabilities[n];
        }
        _cdf = new double[maxSize + 1];
        double running = 0;
        for (int n = 1; n <= maxSize; n++)
        {
            Probabilities[n] /= total;
            running += Probabilities[n];
            _cdf[n] = running;
        }
        _cdf[maxSize] = 1.0;
        Mean = Enumerable.Range(1, maxSize).Sum(n => n * Probabilities[n]);
    }

    public int MaxSize { get; }

    /// <summary>P(n) after truncation, indexed by n (index 0 unused).</summary>
    public double[] Probabilities { get; }

    public double Mean { get; }

    public int Sample(Rng rng)
    {
        double u = rng.NextDouble();
        int lo = 1, hi = MaxSize;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_cdf[mid] < u) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
