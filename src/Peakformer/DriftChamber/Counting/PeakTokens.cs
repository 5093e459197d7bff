using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Counting;

/// <summary>
/// The count regressor's input: one token per found peak, in time order, padded to <see cref="MaxTokens"/>:
/// [time / record length, amplitude / the amplitude scale (DriftChamberConstants.SingleElectronAmplitude), gap to the previous
/// peak / 10 ns, finder score, 1 for a real token (0 marks padding)]. Peaks beyond MaxTokens are dropped (the
/// presets give about 35 per waveform).
/// </summary>
public static class PeakTokens
{
    public const int Features = 5;
    public const int MaxTokens = 96;
    public const int InputSize = Features * MaxTokens;

    public static void Build(ReadOnlySpan<float> waveform, FoundPeaks peaks, double samplingNs, Span<float> tokens)
    {
        tokens[..InputSize].Clear();
        int n = Math.Min(peaks.Samples.Length, MaxTokens);
        double baseline = Noise.Estimate(waveform, Noise.Samples(samplingNs)).Baseline;
        for (int k = 0; k < n; k++)
        {
            int s = peaks.Samples[k];
            var token = tokens.Slice(k * Features, Features);
            token[0] = (float)s / waveform.Length;
            token[1] = (float)((waveform[s] - baseline) / DriftChamberConstants.SingleElectronAmplitude);
            token[2] = k == 0 ? 0f : (float)((s - peaks.Samples[k - 1]) * samplingNs / 10);
            token[3] = peaks.Scores[k];
            token[4] = 1f;
        }
    }
}
