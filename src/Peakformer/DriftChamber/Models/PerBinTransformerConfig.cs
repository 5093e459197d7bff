using Peakformer.Engine.Layers;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The whole-waveform transformer: every bin of the waveform is a token (amplitude embedding + sinusoidal PE),
/// attends to every other bin through the engine's memory-linear attention, and gets its own peak logit.
/// </summary>
public sealed record PerBinTransformerConfig
{
    /// <summary>
    /// Samples each token's embedding sees, centred on its bin (odd): a Conv1d(1, model, k) so a token carries the
    /// local pulse shape as well as its amplitude. 1 gives the plain amplitude embedding of the window model.
    /// </summary>
    public int EmbeddingKernel { get; init; } = 9;
    public int Model { get; init; } = 32;
    public int Heads { get; init; } = 2;
    public int Layers { get; init; } = 2;
    public int FeedForward { get; init; } = 64;
    public float AttentionDropout { get; init; } = 0.0f;
    public float FeedForwardDropout { get; init; } = 0.1f;
    public ActivationKind Activation { get; init; } = ActivationKind.Gelu;
    public bool NormFirst { get; init; }

    public void Validate()
    {
        ConfigLimits.Whole("embedding_kernel", EmbeddingKernel, 1, ConfigLimits.MaxEmbeddingKernel);
        if (EmbeddingKernel % 2 == 0) throw new ArgumentException($"embedding_kernel: expected an odd number, found {EmbeddingKernel}");
        ConfigLimits.Encoder(Model, Heads, Layers, FeedForward, (long)Model * EmbeddingKernel);
        ConfigLimits.Dropout("attention_dropout", AttentionDropout);
        ConfigLimits.Dropout("feed_forward_dropout", FeedForwardDropout);
    }
}
