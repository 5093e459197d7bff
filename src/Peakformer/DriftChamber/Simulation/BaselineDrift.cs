using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>
/// A slow baseline drift: amplitude A sin(2 pi t / P + phase) with the phase uniform in [0, 2 pi) (drawn from the
/// event's stream), or for P = 0 a linear ramp from -A at the first sample to +A at the last (no draw).
/// </summary>
public static class BaselineDrift
{
    public static void Add(Span<float> waveform, double amplitude, double periodNs, double samplingNs, Rng rng)
    {
        int n = waveform.Length;
        if (periodNs == 0)
        {
            for (int i = 0; i < n; i++) waveform[i] += (float)(amplitude * (2.0 * i / (n - 1) - 1));
            return;
        }
        double phase = 2 * Math.PI * rng.NextDouble(), step = 2 * Math.PI * samplingNs / periodNs;
        for (int i = 0; i < n; i++) waveform[i] += (float)(amplitude * Math.Sin(step * i + phase));
    }
}
