namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The one-step counter: a per-bin transformer over the raw waveform whose non-negative per-bin outputs sum to the
/// cluster count. Samples (waveform length) and the target standardisation come from the training data.
/// </summary>
public sealed record OneStepCounterConfig
{
    public PerBinTransformerConfig Backbone { get; init; } = new();
    public int Samples { get; init; } = 1200;
    public double TargetMean { get; init; }
    public double TargetScale { get; init; } = 1;

    public void Validate()
    {
        Backbone.Validate();
        ConfigLimits.Whole("samples", Samples, 1, Simulation.SimulationConfig.MaxSamples);
        ConfigLimits.Number("target_mean", TargetMean, -1e6, 1e6);
        ConfigLimits.Number("target_scale", TargetScale, 1e-6, 1e6);
    }
}
