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
    public int WindowLength { get; init; } = Physics.DriftChamberConstants.WindowLength;
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
        ConfigLimits.Whole("window_length", WindowLength, 1, ConfigLimits.MaxWindowLength);
        ConfigLimits.Whole("head_hidden", HeadHidden, 1, ConfigLimits.MaxHidden);
        ConfigLimits.Encoder(Model, Heads, Layers, FeedForward, (long)Model * HeadHidden);
        ConfigLimits.Dropout("attention_dropout", AttentionDropout);
        ConfigLimits.Dropout("feed_forward_dropout", FeedForwardDropout);
    }
}
