using Peakformer.Engine.Layers;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The whole-waveform transformer built for throughput: a small convolution over the samples, then one token per
/// <see cref="Patch"/> samples (a strided Conv1d), attention over the tokens, and a head that gives each token's
/// <see cref="Patch"/> samples their own logit. A record of 1,200 samples is 50 tokens at patch 24 instead of the
/// per-bin transformer's 1,200.
/// </summary>
public sealed record PatchTransformerConfig
{
    /// <summary>Samples per token; the record is zero-padded at its end to a whole number of patches.</summary>
    public int Patch { get; init; } = 24;
    /// <summary>Channels of the convolution over the samples before patching (0: patch the raw samples).</summary>
    public int FrontChannels { get; init; } = 8;
    /// <summary>Samples the front convolution sees, centred (odd).</summary>
    public int FrontKernel { get; init; } = 9;
    public int Model { get; init; } = 64;
    /// <summary>Two heads of 32: on the quickstart's data F1 0.712 (four heads of 16: 0.715) at about 1.5x the waveforms/s with patch 24.</summary>
    public int Heads { get; init; } = 2;
    public int Layers { get; init; } = 2;
    public int FeedForward { get; init; } = 128;
    public float AttentionDropout { get; init; } = 0.0f;
    public float FeedForwardDropout { get; init; } = 0.1f;
    public ActivationKind Activation { get; init; } = ActivationKind.Gelu;
    public bool NormFirst { get; init; }

    public const int MaxPatch = 256;
    public const int MaxFrontChannels = 256;

    public void Validate()
    {
        ConfigLimits.Whole("patch", Patch, 1, MaxPatch);
        ConfigLimits.Whole("front_channels", FrontChannels, 0, MaxFrontChannels);
        ConfigLimits.Whole("front_kernel", FrontKernel, 1, ConfigLimits.MaxEmbeddingKernel);
        if (FrontKernel % 2 == 0) throw new ArgumentException($"front_kernel: expected an odd number, found {FrontKernel}");
        long front = (long)FrontChannels * FrontKernel + (long)Math.Max(1, FrontChannels) * Patch * Model + (long)Model * Patch;
        ConfigLimits.Encoder(Model, Heads, Layers, FeedForward, front);
        ConfigLimits.Dropout("attention_dropout", AttentionDropout);
        ConfigLimits.Dropout("feed_forward_dropout", FeedForwardDropout);
    }
}
