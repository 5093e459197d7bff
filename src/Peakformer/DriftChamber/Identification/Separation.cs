using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// Separation power of two particle hypotheses from their distributions of a track's count:
/// S = |mu_a - mu_b| / ((sigma_a + sigma_b) / 2), sigma the sample standard deviation (n - 1).
/// </summary>
public static class Separation
{
    public static (double Mean, double Sigma) Moments(ReadOnlySpan<double> values)
    {
        if (values.Length < 2) throw new ArgumentException("a spread needs at least two values", nameof(values));
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= values.Length;
        double sum = 0;
        foreach (double v in values) sum += (v - mean) * (v - mean);
        return (mean, Math.Sqrt(sum / (values.Length - 1)));
    }

    /// <summary>S from the means and spreads; NaN when both spreads are zero (no separation can be quoted).</summary>
    public static double Power(double meanA, double sigmaA, double meanB, double sigmaB) =>
        sigmaA + sigmaB > 0 ? Math.Abs(meanA - meanB) / ((sigmaA + sigmaB) / 2) : double.NaN;

    /// <summary>
    /// The ideal Poisson expectation for a track of <paramref name="lengthCm"/>: counts with mean and variance
    /// rho * L, rho from the cluster-density table (<see cref="ClusterDensity"/>).
    /// </summary>
    public static double IdealPoisson(Particle a, Particle b, double momentumGeV, double lengthCm)
    {
        double na = ClusterDensity.PerCm(Particles.BetaGamma(a, momentumGeV)) * lengthCm;
        double nb = ClusterDensity.PerCm(Particles.BetaGamma(b, momentumGeV)) * lengthCm;
        return Power(na, Math.Sqrt(na), nb, Math.Sqrt(nb));
    }
}
