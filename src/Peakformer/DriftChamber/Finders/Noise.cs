using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Finders;

/// <summary>Baseline and noise rms from the signal-free start of a waveform (the first <see cref="DriftChamberConstants.NoiseWindowNs"/>).</summary>
public static class Noise
{
    /// <summary>Samples in the first <paramref name="windowNs"/> of a record, at least 2.</summary>
    public static int Samples(double samplingNs, double windowNs = DriftChamberConstants.NoiseWindowNs) => Math.Max(2, (int)(windowNs / samplingNs));

    public static (double Baseline, double Rms) Estimate(ReadOnlySpan<float> x, int samples)
    {
        // At least 2 samples for an rms, but never more than the record has (a shorter one gives rms 0, an empty one 0, 0).
        int n = Math.Min(Math.Max(samples, 2), x.Length);
        if (n == 0) return (0, 0);
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[i];
        mean /= n;
        double v = 0;
        for (int i = 0; i < n; i++) v += (x[i] - mean) * (x[i] - mean);
        return (mean, n > 1 ? Math.Sqrt(v / (n - 1)) : 0);
    }
}
