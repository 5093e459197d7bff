namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The reference study's cluster-count regressor ("Transformer Regression - Hyperparameter Configuration"):
/// 2 heads of key dimension 16 (model 32), 1 encoder block, feed-forward multiplier 2, dense 128.
/// TargetMean and TargetScale standardise the count (set from the training data).
/// </summary>
public sealed record CountTransformerConfig
{
    public int Model { get; init; } = 32;
    public int Heads { get; init; } = 2;
    public int Layers { get; init; } = 1;
    public int FeedForward { get; init; } = 64;
    public int Dense { get; init; } = 128;
    public float Dropout { get; init; } = 0.1f;
    public double TargetMean { get; init; }
    public double TargetScale { get; init; } = 1;

    public void Validate()
    {
        ConfigLimits.Whole("dense", Dense, 1, ConfigLimits.MaxHidden);
        ConfigLimits.Encoder(Model, Heads, Layers, FeedForward, (long)Model * Dense);
        ConfigLimits.Dropout("dropout", Dropout);
        ConfigLimits.Number("target_mean", TargetMean, -1e6, 1e6);
        ConfigLimits.Number("target_scale", TargetScale, 1e-6, 1e6);
    }
}
