using Peakformer.DriftChamber.Inputs;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Progress;

namespace Peakformer.DriftChamber.Counting;

/// <summary>
/// A counter that reads each batch normalised per waveform (<see cref="InputNormalisation"/>): the model, and the peak
/// model it reads its peaks from, see the normalised waveforms. <see cref="Wrap"/> decides, for any counter, whether
/// it is normalised: models (count models, peak models clusterised) as their checkpoint or --normalise asks; classical
/// finders and truth never (their thresholds are in multiples of each waveform's own noise or in simulator units).
/// </summary>
public sealed class NormalisedCounter : ICounter
{
    private WaveformBatch? _lastInput, _lastNormalised;

    private NormalisedCounter(ICounter inner, InputNormalisation normalisation) => (Inner, Normalisation) = (inner, normalisation);

    public ICounter Inner { get; }
    public InputNormalisation Normalisation { get; }
    public string Name => $"{Inner.Name} (normalised)";
    public string Kind => Inner.Kind;
    public string Settings => $"{Inner.Settings}; each waveform normalised to noise rms {Normalisation.NoiseRms:G4}";
    public string? ModelFile => Inner.ModelFile;

    public double[] Count(WaveformBatch batch) => Inner.Count(Normalise(batch));

    /// <summary>The batch as the inner counter sees it (normalised once per batch, shared with the peaks written beside the counts).</summary>
    public WaveformBatch Normalise(WaveformBatch batch)
    {
        if (!ReferenceEquals(batch, _lastInput)) (_lastInput, _lastNormalised) = (batch, Normalisation.Apply(batch));
        return _lastNormalised!;
    }

    /// <summary>
    /// The counter as it reads its input: wrapped when its model's checkpoint records normalised training waveforms or
    /// <paramref name="requested"/> (--normalise) asks; a classical or truth counter with --normalise is said to be left as it is.
    /// </summary>
    public static ICounter Wrap(ICounter counter, bool requested, IProgressReporter progress)
    {
        var (trained, model) = Model(counter);
        if (model is null)
        {
            if (requested && counter.Kind == "classical") progress.Note($"--normalise: {counter.Name} is not a model and counts the waveforms as read");
            return counter;
        }
        return InputNormalisation.Decide(requested, trained, model, progress) is { } n ? new NormalisedCounter(counter, n) : counter;
    }

    /// <summary>The training conventions and checkpoint of the model a counter runs, or (null, null) for classical finders and truth.</summary>
    private static (InputConventions? Trained, string? Model) Model(ICounter counter) => counter switch
    {
        ModelCounter m => (m.Info.Input, m.Path),
        ClusterCounter { Source.Carried: { } p } c => (p.Info.Input, c.Source.ModelFile),
        PeakLineCounter { Source.Carried: { } p } l => (p.Info.Input, l.Source.ModelFile),
        _ => (null, null),
    };
}
