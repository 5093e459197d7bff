using System.Text.Json.Serialization;
using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Finders;

/// <summary>
/// DERIV, the derivative peak finder of the cluster-counting studies (docs/SIMULATION.md): with the noise rms and
/// baseline from the first 25 ns, D1/D2 the first/second differences, s1 = rms / (sqrt 2 dt), s2 = rms / (2 dt^2),
/// bin i is a peak when A_i > N1 rms, A_i - (A_(i-1) + A_(i+1)) / 2 > N2 rms, the first derivative changes sign around
/// i within N3 s1 (D1 into i > -N3 s1 and D1 out of i &lt; N3 s1), and D2_i &lt; -N4 s2. Adjacent hits merge to
/// their maximum. Typical N1 = 8-10, N2 = 1.0-1.2, N3 = N4 = 0-0.2.
/// </summary>
public sealed record DerivFinder(double N1, double N2, double N3, double N4, double SamplingNs, double NoiseWindowNs = DriftChamberConstants.NoiseWindowNs) : IPeakFinder
{
    [JsonIgnore] public string Name => "DERIV";

    public IReadOnlyList<int[]> Find(ReadOnlySpan<float> waveforms, int count, int samples)
    {
        var result = new int[count][];
        for (int w = 0; w < count; w++) result[w] = FindOne(waveforms.Slice(w * samples, samples));
        return result;
    }

    public int[] FindOne(ReadOnlySpan<float> x)
    {
        double dt = SamplingNs;
        var (baseline, rms) = Noise.Estimate(x, Noise.Samples(dt, NoiseWindowNs));
        double s1 = rms / (Math.Sqrt(2) * dt), s2 = rms / (2 * dt * dt);
        var peaks = new List<int>();
        int runStart = -1;
        for (int i = 1; i < x.Length - 1; i++)
        {
            double a = x[i] - baseline, prev = x[i - 1] - baseline, next = x[i + 1] - baseline;
            double d1In = (x[i] - x[i - 1]) / dt, d1Out = (x[i + 1] - x[i]) / dt, d2 = (x[i + 1] - 2 * x[i] + x[i - 1]) / (dt * dt);
            bool hit = a > N1 * rms && a - (prev + next) / 2 > N2 * rms && d1In > -N3 * s1 && d1Out < N3 * s1 && d2 < -N4 * s2;
            if (hit && runStart < 0) runStart = i;
            if (!hit && runStart >= 0)
            {
                peaks.Add(ArgMax(x, runStart, i));
                runStart = -1;
            }
        }
        if (runStart >= 0) peaks.Add(ArgMax(x, runStart, x.Length - 1));
        return peaks.ToArray();
    }

    private static int ArgMax(ReadOnlySpan<float> x, int from, int to)
    {
        int best = from;
        for (int i = from + 1; i < to; i++) if (x[i] > x[best]) best = i;
        return best;
    }
}
