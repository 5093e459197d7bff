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
        if (Model < 1 || Heads < 1 || Model % Heads != 0) throw new ArgumentException($"model {Model} must be a positive multiple of heads {Heads}.");
        if (Layers < 1 || FeedForward < 1 || Dense < 1) throw new ArgumentException("layers, feed_forward and dense must be positive.");
        if (!(TargetScale > 0)) throw new ArgumentException($"target_scale must be positive, got {TargetScale}.");
    }
}
