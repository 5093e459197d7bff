using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Finders;

namespace Peakformer.DriftChamber.Inputs;

/// <summary>
/// Measures <see cref="InputConventions"/> on waveforms: per waveform the baseline (median of the first 25 ns), the
/// robust noise rms (1.4826 x median absolute deviation there: equal to the rms for Gaussian noise, and blind to a
/// stray pulse), the highest sample above the baseline and the deepest below it (negative pulses); then medians over waveforms.
/// </summary>
public static class InputStatistics
{
    /// <summary>The first waveforms measured (enough for stable medians; reading them costs a fraction of a second).</summary>
    public const int MaxWaveforms = 1000;
    /// <summary>MAD to rms for Gaussian noise: 1 / Phi^-1(3/4).</summary>
    public const double MadToRms = 1.4826;

    public static InputConventions Measure(WaveformDataset data, string amplitudeUnit = InputConventions.Simulator)
    {
        int n = Math.Min(MaxWaveforms, data.Count);
        var baseline = new double[n];
        var noise = new double[n];
        var peak = new double[n];
        var dip = new double[n];
        const int chunk = 256;
        for (int start = 0; start < n; start += chunk)
        {
            int m = Math.Min(chunk, n - start);
            var waveforms = data.ReadWaveforms(start, m);
            for (int i = 0; i < m; i++)
            {
                var w = waveforms.AsSpan(i * data.Samples, data.Samples);
                (baseline[start + i], noise[start + i], peak[start + i]) = Of(w, data.SamplingNs);
                float min = float.PositiveInfinity;
                foreach (float x in w) min = Math.Min(min, x);
                dip[start + i] = w.Length > 0 ? baseline[start + i] - min : 0;
            }
        }
        return new InputConventions
        {
            SamplingNs = data.SamplingNs,
            Samples = data.Samples,
            AmplitudeUnit = amplitudeUnit,
            BaselineMedian = Median(baseline),
            NoiseRms = Median(noise),
            PeakAmplitudeMedian = Median(peak),
            PeakAmplitudeP90 = Quantile(peak, 0.9),
            DipAmplitudeMedian = Median(dip),
            Waveforms = n,
        };
    }

    /// <summary>One waveform: baseline (median of the first 25 ns), robust noise rms there, highest sample above the baseline.</summary>
    public static (double Baseline, double NoiseRms, double PeakAmplitude) Of(ReadOnlySpan<float> waveform, double samplingNs)
    {
        int q = Math.Min(Noise.Samples(samplingNs), waveform.Length);
        if (q == 0) return (0, 0, 0);
        var quiet = new double[q];
        for (int i = 0; i < q; i++) quiet[i] = waveform[i];
        double b = Median(quiet);
        for (int i = 0; i < q; i++) quiet[i] = Math.Abs(quiet[i] - b);
        double max = double.NegativeInfinity;
        foreach (float x in waveform) max = Math.Max(max, x);
        return (b, MadToRms * Median(quiet), max - b);
    }

    public static double Median(double[] values) => Quantile(values, 0.5);

    /// <summary>The q-quantile with linear interpolation between order statistics (NumPy's default); NaN for no values.</summary>
    public static double Quantile(double[] values, double q)
    {
        if (values.Length == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        double at = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(at), hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }
}
