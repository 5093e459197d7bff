namespace Peakformer.DriftChamber.Inputs;

/// <summary>
/// What waveforms a model was trained on, stored in its checkpoint (and measured on the data it is applied to):
/// sampling interval, record length, the amplitude unit and baseline convention, and robust statistics of the
/// amplitudes, so that data in another unit (ADC counts), with a pedestal, or at another sampling is caught.
/// </summary>
public sealed record InputConventions
{
    public double SamplingNs { get; init; } = Physics.DriftChamberConstants.SamplingNs;
    /// <summary>Samples per waveform (record length).</summary>
    public int Samples { get; init; }
    /// <summary>The amplitude convention in words (the simulator's: one electron of mean gain peaks at 0.5).</summary>
    public string AmplitudeUnit { get; init; } = Simulator;
    /// <summary>The baseline convention in words: pedestal subtracted, baseline at 0.</summary>
    public string Baseline { get; init; } = "pedestal subtracted, baseline at 0";
    /// <summary>Median over waveforms of the baseline: the median of the first 25 ns.</summary>
    public double BaselineMedian { get; init; }
    /// <summary>Median over waveforms of the robust noise rms: 1.4826 x the median absolute deviation of the first 25 ns.</summary>
    public double NoiseRms { get; init; }
    /// <summary>Median and 90th percentile over waveforms of the highest sample above the baseline.</summary>
    public double PeakAmplitudeMedian { get; init; }
    public double PeakAmplitudeP90 { get; init; }
    /// <summary>
    /// Median over waveforms of the deepest sample below the baseline: measured on the data, not stored in
    /// checkpoints (training data has positive pulses); far above the peak median, the pulses are negative.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double DipAmplitudeMedian { get; init; } = double.NaN;
    /// <summary>How many waveforms the statistics were measured on.</summary>
    public int Waveforms { get; init; }
    /// <summary>
    /// The model saw each waveform normalised (<see cref="AmplitudeNormalisation"/>, to <see cref="NoiseRms"/>), so its
    /// input is always normalised the same way (<see cref="InputNormalisation"/>). Left out of the checkpoint when
    /// false: checkpoints written before it load unchanged, as not normalised.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Normalised { get; init; }

    public const string Simulator = "simulator units (one electron of mean gain peaks at 0.5)";

    /// <summary>
    /// What a checkpoint written before conventions were stored is taken to have seen: the simulator's defaults
    /// (noise rms 0.025, baseline 0; peak amplitudes unknown, NaN, so not compared).
    /// </summary>
    public static InputConventions SimulatorDefaults(double samplingNs) => new()
    {
        SamplingNs = samplingNs,
        NoiseRms = Physics.DriftChamberConstants.NoiseRms,
        PeakAmplitudeMedian = double.NaN,
        PeakAmplitudeP90 = double.NaN,
    };
}
