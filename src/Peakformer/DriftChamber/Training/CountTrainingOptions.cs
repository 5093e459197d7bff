namespace Peakformer.DriftChamber.Training;

/// <summary>What a cluster-count model is trained on: the dataset, where its input peaks come from, and limits.</summary>
public sealed record CountTrainingOptions
{
    public required string DataPath { get; init; }
    /// <summary>How to read the data (ADC pedestal and gain, sampling, array names, --invert).</summary>
    public Peakformer.Data.Waveforms.WaveformReadOptions Read { get; init; } = Peakformer.Data.Waveforms.WaveformReadOptions.None;
    /// <summary>"truth", "deriv", "d2", "deriv:N1,N2,N3,N4", "d2:T1,T2" or a peak-model checkpoint (token models only).</summary>
    public string? PeaksFrom { get; init; }
    /// <summary>Training data the classical thresholds of "deriv" / "d2" are tuned on (default: the published typical values).</summary>
    public string? TuneDataPath { get; init; }
    /// <summary>Use at most this many waveforms (0: all).</summary>
    public int MaxWaveforms { get; init; }
    /// <summary>Model candidates below this many noise rms above the baseline are not scored.</summary>
    public double MinAmplitudeSigma { get; init; } = Peakformer.DriftChamber.Counting.PeakSource.DefaultMinAmplitudeSigma;
}
