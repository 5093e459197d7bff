namespace Peakformer.DriftChamber.Physics;

/// <summary>
/// The figures the drift-chamber code shares, each named once. Physics figures cite the table of
/// ../shared/docs/SIMULATION.md they come from; the rest are the published peak-classification table's conventions.
/// </summary>
public static class DriftChamberConstants
{
    /// <summary>
    /// Sampling interval, 0.5 ns (2 GS/s, the IDEA digitiser; SIMULATION.md "Drift and signal", ADC): the simulator's
    /// default, and what a dataset or checkpoint that does not say is taken to be sampled at.
    /// </summary>
    public const double SamplingNs = 0.5;

    /// <summary>Noise rms in waveform units, 0.025 (CEPC samples; SIMULATION.md "Drift and signal", noise).</summary>
    public const double NoiseRms = 0.025;

    /// <summary>
    /// The amplitude scale: peak height of one electron of mean gain, 0.5 waveform units (the fcc preset; SIMULATION.md
    /// "Drift and signal": single-electron peaks 0.2-1 in the CEPC units). Peak tokens divide amplitudes by it.
    /// </summary>
    public const double SingleElectronAmplitude = 0.5;

    /// <summary>
    /// The signal-free start of a record where baseline and noise rms are measured, 25 ns (SIMULATION.md "Classical
    /// peak finders": noise rms from the first 25 ns). The simulator's trigger offset leaves it free of signal.
    /// </summary>
    public const double NoiseWindowNs = 25;

    /// <summary>Candidate windows run from t - 5 to t + 9 (15 samples; SIMULATION.md "Labels used by the published datasets").</summary>
    public const int WindowBefore = 5, WindowAfter = 9;

    /// <summary>Samples in a candidate window (the window models' input length).</summary>
    public const int WindowLength = WindowBefore + 1 + WindowAfter;

    /// <summary>A candidate is signal, and a found peak matches a truth peak, within 2 samples of it.</summary>
    public const int ToleranceSamples = 2;

    /// <summary>Model peaks closer than 2 samples are merged (the higher score wins).</summary>
    public const int MinSeparationSamples = 2;
}
