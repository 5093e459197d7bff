using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Finders;

/// <summary>Baseline and noise rms from the signal-free start of a waveform (the first <see cref="DriftChamberConstants.NoiseWindowNs"/>).</summary>
public static class Noise
{
    /// <summary>Samples in the first <paramref name="windowNs"/> of a record, at least 2.</summary>
    public static int Samples(double samplingNs, double windowNs = DriftChamberConstants.NoiseWindowNs) => Math.Max(2, (int)(windowNs / samplingNs));

    public static (double Baseline, double Rms) Estimate(ReadOnlySpan<float> x, int samples)
    {
        int n = Math.Clamp(samples, 2, x.Length);
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[i];
        mean /= n;
        double v = 0;
        for (int i = 0; i < n; i++) v += (x[i] - mean) * (x[i] - mean);
        return (mean, Math.Sqrt(v / (n - 1)));
    }
}
