using Peakformer.Engine.Layers;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The reference study's window classifier (transformers-peak-detection-drift-tubes, "Transformer Hyperparameter
/// Configuration"): 15-sample window, amplitude embedding Linear(1 → 64) + sinusoidal PE, 2 encoder blocks,
/// 4 heads of key dimension 16, feed-forward 96 with GELU, attention dropout 0.10, feed-forward dropout 0.15,
/// mean pool, dense 96 head and one output logit.
/// </summary>
public sealed record WindowTransformerConfig
{
    public int WindowLength { get; init; } = 15;
    public int Model { get; init; } = 64;
    public int Heads { get; init; } = 4;
    public int Layers { get; init; } = 2;
    public int FeedForward { get; init; } = 96;
    public int HeadHidden { get; init; } = 96;
    public float AttentionDropout { get; init; } = 0.10f;
    public float FeedForwardDropout { get; init; } = 0.15f;
    public ActivationKind Activation { get; init; } = ActivationKind.Gelu;
    public bool NormFirst { get; init; }

    public void Validate()
    {
        if (WindowLength < 1) throw new ArgumentException($"window_length must be positive, got {WindowLength}.");
        if (Model < 1 || Heads < 1 || Model % Heads != 0) throw new ArgumentException($"model {Model} must be a positive multiple of heads {Heads}.");
        if (Layers < 1 || FeedForward < 1 || HeadHidden < 1) throw new ArgumentException("layers, feed_forward and head_hidden must be positive.");
        if (AttentionDropout is < 0 or >= 1 || FeedForwardDropout is < 0 or >= 1) throw new ArgumentException("dropouts must be in [0, 1).");
    }
}
