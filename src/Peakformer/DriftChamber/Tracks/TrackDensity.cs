using Peakformer.DriftChamber.Physics;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Tracks;

/// <summary>
/// dN/dx of a track and the Poisson log-likelihood of a particle hypothesis for it. The expected count is the
/// cluster-density table's clusters per cm at the hypothesis' beta*gamma times the track length, as the simulator
/// draws it and <c>pid</c>'s ideal separation assumes (<see cref="ClusterDensity"/>).
/// </summary>
public static class TrackDensity
{
    /// <summary>Largest summed count of a track the log-likelihood takes (ln n! is computed for an int).</summary>
    public const double MaxTrackClusters = 1e9;

    /// <summary>Clusters and path length summed over all cells.</summary>
    public static (double Clusters, double LengthCm) Sum(Track track) => (track.Counts.Sum(), track.LengthsCm.Sum());

    /// <summary>
    /// The truncated mean of dE/dx practice applied to clusters: the cells are ranked by their own density (count /
    /// path length; the same as by count when the cells are equally long, ties in map order), the lowest
    /// floor(fraction x cells) of them (at least one) are kept, and their clusters are divided by their own summed
    /// path length, so the truncated dN/dx stays in clusters per cm of gas actually counted.
    /// </summary>
    public static (double Clusters, double LengthCm, int Kept) Truncated(Track track, double fraction)
    {
        int n = track.Counts.Length;
        int keep = Math.Max(1, (int)Math.Floor(fraction * n + 1e-9)); // 0.7 x 10 is 7.000000000000001, 0.3 x 10 may be 2.9999...
        var kept = Enumerable.Range(0, n).OrderBy(i => track.Counts[i] / track.LengthsCm[i]).Take(keep).ToArray();
        return (kept.Sum(i => track.Counts[i]), kept.Sum(i => track.LengthsCm[i]), keep);
    }

    /// <summary>
    /// Expected clusters of <paramref name="particle"/> at <paramref name="momentumGeV"/> over <paramref name="lengthCm"/>,
    /// of which the fraction <paramref name="efficiency"/> is counted (1: every cluster, the table as it is).
    /// </summary>
    public static double Expected(Particle particle, double momentumGeV, double lengthCm, double efficiency = 1) =>
        efficiency * ClusterDensity.PerCm(Particles.BetaGamma(particle, momentumGeV)) * lengthCm;

    /// <summary>
    /// ln P(n | mu) = n ln mu - mu - ln n! for the track's summed clusters n (all cells, not truncated: the Poisson
    /// law holds for the full count). A count model's fractional count is rounded to the nearest integer first.
    /// </summary>
    public static double LogLikelihood(double clusters, Particle particle, double momentumGeV, double lengthCm, double efficiency = 1)
    {
        if (!(clusters >= 0 && clusters <= MaxTrackClusters)) throw new InputException($"log-likelihood: expected a track count in [0, {MaxTrackClusters}], found {Finite.Describe(clusters)}");
        int n = (int)Math.Round(clusters, MidpointRounding.AwayFromZero);
        double mu = Expected(particle, momentumGeV, lengthCm, efficiency);
        return n * Math.Log(mu) - mu - Distributions.LogFactorial(n);
    }
}
