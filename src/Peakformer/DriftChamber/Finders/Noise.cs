namespace Peakformer.DriftChamber.Finders;

/// <summary>Baseline and noise rms from the signal-free start of a waveform (the classical finders use the first 25 ns).</summary>
public static class Noise
{
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
