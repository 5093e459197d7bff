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
        if (Samples < 1) throw new ArgumentException($"samples must be positive, got {Samples}.");
        if (!(TargetScale > 0)) throw new ArgumentException($"target_scale must be positive, got {TargetScale}.");
    }
}
