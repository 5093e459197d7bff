using Peakformer.DriftChamber.Simulation;
using Peakformer.Progress;

namespace Peakformer.DriftChamber.Inputs;

/// <summary>
/// Whether a model's input waveforms are normalised per waveform (<see cref="AmplitudeNormalisation"/>) and to what
/// noise: the one place every command (predict, count, dndx, shift) decides it. A checkpoint that records normalised
/// training waveforms (<see cref="InputConventions.Normalised"/>) is always normalised, and that is said; otherwise
/// --normalise asks for it. The target is the noise the model was trained on. Counts the waveforms whose noise
/// measured 0, so the caller warns once.
/// </summary>
public sealed class InputNormalisation
{
    private InputNormalisation(double noiseRms, bool fromCheckpoint) => (NoiseRms, FromCheckpoint) = (noiseRms, fromCheckpoint);

    /// <summary>The noise rms each waveform is scaled to.</summary>
    public double NoiseRms { get; }
    /// <summary>Applied because the checkpoint records normalised training waveforms (not only because --normalise asked).</summary>
    public bool FromCheckpoint { get; }
    /// <summary>Waveforms normalised so far whose noise measured 0 (scaled by their chunk's median noise instead).</summary>
    public long Flat { get; private set; }

    /// <summary>
    /// The normalisation of a model trained on <paramref name="trained"/> (null: an older checkpoint), or null when its
    /// input is used as read. A checkpoint trained on normalised waveforms wins over a missing --normalise, and says so.
    /// </summary>
    public static InputNormalisation? Decide(bool requested, InputConventions? trained, string model, IProgressReporter progress)
    {
        double target = AmplitudeNormalisation.TrainingNoise(trained);
        if (trained?.Normalised == true)
        {
            progress.Note($"{model}: trained on waveforms normalised per waveform (its checkpoint records it): each input waveform is normalised the same way, " +
                $"baseline subtracted and noise scaled to {target:G4}{(requested ? "" : " (as with --normalise)")}");
            return new InputNormalisation(target, true);
        }
        return requested ? new InputNormalisation(target, false) : null;
    }

    /// <summary>Normalises waveforms in place (row-major, rows of <paramref name="samples"/>).</summary>
    public void Apply(Span<float> waveforms, int samples, double samplingNs) =>
        Flat += AmplitudeNormalisation.Apply(waveforms, samples, samplingNs, NoiseRms);

    /// <summary>A normalised copy of a batch (truth and everything else shared).</summary>
    public WaveformBatch Apply(WaveformBatch batch)
    {
        var waveforms = (float[])batch.Waveforms.Clone();
        Apply(waveforms, batch.Samples, batch.SamplingNs);
        return new WaveformBatch
        {
            Waveforms = waveforms, Count = batch.Count, Samples = batch.Samples, SamplingNs = batch.SamplingNs, CrossingNs = batch.CrossingNs,
            TruthPeaks = batch.TruthPeaks, Clusters = batch.Clusters, TrackLengthCm = batch.TrackLengthCm, MomentumGeV = batch.MomentumGeV, Particles = batch.Particles,
        };
    }

    /// <summary>The one warning about waveforms without measurable noise, or null when there were none.</summary>
    public string? FlatWarning(string data, int chunk) => Flat == 0 ? null :
        $"warning: {data}: normalisation: {Flat:N0} waveforms had no measurable noise (MAD 0 in the first {Physics.DriftChamberConstants.NoiseWindowNs:G4} ns, " +
        $"e.g. quantised ADC samples on a flat baseline): scaled by the median noise of their chunk ({chunk} waveforms)";
}
