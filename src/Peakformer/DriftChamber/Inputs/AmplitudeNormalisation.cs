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

    /// <summary>
    /// Normalises each waveform in place (row-major, count x samples). A waveform whose noise measures 0 (quantised
    /// ADC samples on a flat baseline: the MAD of the first 25 ns is 0) is scaled by the median noise of the others
    /// in the span, or only baseline-subtracted when none has measurable noise. Returns how many measured 0, so the
    /// caller can say so once.
    /// </summary>
    public static int Apply(Span<float> waveforms, int samples, double samplingNs, double trainingNoiseRms)
    {
        int count = samples > 0 ? waveforms.Length / samples : 0;
        var baselines = new double[count];
        var noises = new double[count];
        for (int r = 0; r < count; r++)
            (baselines[r], noises[r], _) = InputStatistics.Of(waveforms.Slice(r * samples, samples), samplingNs);
        var measured = noises.Where(n => n > 0).Order().ToArray();
        double fallback = measured.Length == 0 ? 0 : measured[measured.Length / 2];
        int flat = 0;
        for (int r = 0; r < count; r++)
        {
            double noise = noises[r];
            if (!(noise > 0))
            {
                flat++;
                noise = fallback;
            }
            double scale = noise > 0 ? trainingNoiseRms / noise : 1;
            var w = waveforms.Slice(r * samples, samples);
            for (int i = 0; i < w.Length; i++) w[i] = (float)((w[i] - baselines[r]) * scale);
        }
        return flat;
    }
}
