namespace Peakformer.DriftChamber.Physics;

/// <summary>
/// Primary ionisation clusters per cm in He/iC4H10 90/10 against beta*gamma: the table of Delphes TrkUtil::Nclusters
/// (docs/SIMULATION.md), interpolated linearly in log(beta*gamma). Beyond the last point (1000) the density is
/// constant (the Fermi plateau); below the first (0.5) it is extrapolated along the first segment in log-log
/// (the 1/beta^2 rise), documented as an extrapolation.
/// </summary>
public static class ClusterDensity
{
    private static readonly double[] BetaGammaPoints = [0.5, 0.8, 1, 2, 3, 4, 5, 8, 10, 12, 15, 20, 50, 100, 200, 500, 1000];
    private static readonly double[] ClustersPerCm = [42.94, 23.6, 18.97, 12.98, 12.2, 12.13, 12.24, 12.73, 13.03, 13.29, 13.63, 14.08, 15.56, 16.43, 16.8, 16.95, 16.98];

    /// <summary>The tabulated points (for tests and plots).</summary>
    public static IReadOnlyList<(double BetaGamma, double PerCm)> Table => BetaGammaPoints.Zip(ClustersPerCm).ToArray();

    /// <summary>The table's lowest beta*gamma, 0.5: below it the density is extrapolated.</summary>
    public static double MinBetaGamma => BetaGammaPoints[0];

    public static double PerCm(double betaGamma)
    {
        if (!(betaGamma > 0)) throw new ArgumentOutOfRangeException(nameof(betaGamma), $"beta*gamma must be positive, got {betaGamma}.");
        if (betaGamma >= BetaGammaPoints[^1]) return ClustersPerCm[^1];
        if (betaGamma < BetaGammaPoints[0])
        {
            double slope = Math.Log(ClustersPerCm[1] / ClustersPerCm[0]) / Math.Log(BetaGammaPoints[1] / BetaGammaPoints[0]);
            return ClustersPerCm[0] * Math.Pow(betaGamma / BetaGammaPoints[0], slope);
        }
        int i = 0;
        while (BetaGammaPoints[i + 1] < betaGamma) i++;
        double f = Math.Log(betaGamma / BetaGammaPoints[i]) / Math.Log(BetaGammaPoints[i + 1] / BetaGammaPoints[i]);
        return ClustersPerCm[i] + f * (ClustersPerCm[i + 1] - ClustersPerCm[i]);
    }
}
