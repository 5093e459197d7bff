namespace Peakformer.DriftChamber.Inputs;

/// <summary>
/// Per-waveform amplitude normalisation, a mitigation for gain and noise shifts: subtract the waveform's baseline
/// and scale it so that its robust noise rms (both from the signal-free first 25 ns, as <see cref="InputStatistics"/>
/// measures them) equals the noise the model was trained on. It undoes a front-end gain exactly (signal and noise
/// scale together); it cannot tell more noise from less signal, so extra noise shrinks the pulses.
/// </summary>
public static class AmplitudeNormalisation
{
    /// <summary>The noise a model was trained on: its checkpoint's measured rms, else (older checkpoints, classical finders) the simulator's.</summary>
    public static double TrainingNoise(InputConventions? input) => input?.NoiseRms is double n && n > 0 ? n : Physics.DriftChamberConstants.NoiseRms;

    /// <summary>Normalises each waveform in place (row-major, count x samples); a waveform without measurable noise is only baseline-subtracted.</summary>
    public static void Apply(Span<float> waveforms, int samples, double samplingNs, double trainingNoiseRms)
    {
        for (int start = 0; start + samples <= waveforms.Length; start += samples)
        {
            var w = waveforms.Slice(start, samples);
            var (baseline, noise, _) = InputStatistics.Of(w, samplingNs);
            double scale = noise > 0 ? trainingNoiseRms / noise : 1;
            for (int i = 0; i < w.Length; i++) w[i] = (float)((w[i] - baseline) * scale);
        }
    }
}
