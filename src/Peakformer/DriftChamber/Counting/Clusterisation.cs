namespace Peakformer.DriftChamber.Counting;

/// <summary>
/// Time-based clusterisation of found peaks (docs/SIMULATION.md): peaks in time order; a peak within s sqrt(t) ns of
/// the first peak of the current cluster joins it, otherwise it opens a new cluster. t is the drift time in ns
/// (the peak time minus the track's crossing time), since the spread of a cluster's electrons grows with the
/// square root of their drift. s = 0.20-0.26 for He/iC4H10 90/10; the default 0.23 is the middle of that range.
/// </summary>
public static class Clusterisation
{
    public const double DefaultS = 0.23;
    /// <summary>Largest s accepted: at 100 every peak of a record within 1 us joins the first cluster.</summary>
    public const double MaxS = 100;

    public static int Count(IReadOnlyList<int> peakSamples, double samplingNs, double crossingNs, double s = DefaultS)
    {
        int clusters = 0;
        double anchor = double.NegativeInfinity;
        foreach (int p in peakSamples)
        {
            double t = p * samplingNs;
            double window = s * Math.Sqrt(Math.Max(t - crossingNs, 0));
            if (clusters > 0 && t - anchor <= window) continue;
            clusters++;
            anchor = t;
        }
        return clusters;
    }
}
