using System.Text.Json.Serialization;
using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Finders;

/// <summary>
/// D2, the CEPC second-derivative finder (docs/SIMULATION.md): D1 = max(diff(wf), 0), D2 = max(diff(D1), 0), kept
/// only where the waveform (at the end of the rise) is above T1 (in noise rms, from the first 25 ns); D2 is integrated while
/// positive, and a peak is emitted when the integral exceeds T2 (amplitude units). The peak is reported at the
/// waveform maximum that follows the trigger (before the rise ends), so its time is comparable with the other finders'.
/// </summary>
public sealed record D2Finder(double T1, double T2, double SamplingNs, double NoiseWindowNs = DriftChamberConstants.NoiseWindowNs) : IPeakFinder
{
    [JsonIgnore] public string Name => "D2";

    public IReadOnlyList<int[]> Find(ReadOnlySpan<float> waveforms, int count, int samples)
    {
        var result = new int[count][];
        for (int w = 0; w < count; w++) result[w] = FindOne(waveforms.Slice(w * samples, samples));
        return result;
    }

    public int[] FindOne(ReadOnlySpan<float> x)
    {
        var (baseline, rms) = Noise.Estimate(x, Noise.Samples(SamplingNs, NoiseWindowNs));
        var peaks = new List<int>();
        double integral = 0;
        bool fired = false;
        for (int i = 1; i < x.Length - 1; i++)
        {
            double d1Here = Math.Max(x[i] - x[i - 1], 0), d1Next = Math.Max(x[i + 1] - x[i], 0);
            double d2 = Math.Max(d1Next - d1Here, 0);
            // The amplitude condition applies where the rise leads (i + 1): at the onset itself the waveform is still low.
            if (x[i + 1] - baseline <= T1 * rms) d2 = 0;
            if (d2 > 0)
            {
                integral += d2;
                if (!fired && integral > T2)
                {
                    fired = true;
                    // Follow the rise to its top.
                    int top = i;
                    while (top + 1 < x.Length && x[top + 1] >= x[top]) top++;
                    if (peaks.Count == 0 || top != peaks[^1]) peaks.Add(top);
                }
            }
            else
            {
                integral = 0;
                fired = false;
            }
        }
        return peaks.ToArray();
    }
}
