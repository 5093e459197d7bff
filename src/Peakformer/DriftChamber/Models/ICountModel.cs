namespace Peakformer.DriftChamber.Models;

/// <summary>A cluster-count model: inputs are peak tokens or whole waveforms; the output is the standardised count.</summary>
public interface ICountModel : Learning.Training.ITrainable
{
    string Kind { get; }
    object Config { get; }
    /// <summary>True when the input is the waveform itself, false when it is the found peaks as tokens.</summary>
    bool ReadsWaveform { get; }
    double TargetMean { get; }
    double TargetScale { get; }
}
