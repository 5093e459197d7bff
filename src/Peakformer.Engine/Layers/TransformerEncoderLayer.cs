using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>Settings of one encoder block; the defaults are PyTorch's except where named.</summary>
public sealed record TransformerEncoderLayerOptions
{
    public required int Model { get; init; }
    public required int Heads { get; init; }
    public required int FeedForward { get; init; }
    /// <summary>Dropout on the attention weights and on the attention output before its residual add.</summary>
    public float AttentionDropout { get; init; } = 0.1f;
    /// <summary>Dropout inside the feed-forward block and on its output before its residual add.</summary>
    public float FeedForwardDropout { get; init; } = 0.1f;
    public ActivationKind Activation { get; init; } = ActivationKind.Relu;
    /// <summary>Pre-norm (norm_first=True) instead of PyTorch's default post-norm.</summary>
    public bool NormFirst { get; init; }
    public float LayerNormEps { get; init; } = 1e-5f;
}

/// <summary>
/// nn.TransformerEncoderLayer (batch_first=True) with PyTorch's parameter names: self_attn, linear1, linear2,
/// norm1, norm2. Post-norm: x = norm1(x + drop(sa(x))); x = norm2(x + drop(ff(x))).
/// Pre-norm: x = x + drop(sa(norm1(x))); x = x + drop(ff(norm2(x))).
/// </summary>
public sealed class TransformerEncoderLayer : Module
{
    private readonly Dropout _attentionOutDropout;
    private readonly Dropout _feedForwardDropout;
    private readonly Dropout _feedForwardOutDropout;

    public TransformerEncoderLayer(TransformerEncoderLayerOptions options, Rng rng)
    {
        Options = options;
        SelfAttention = AddModule("self_attn", new MultiheadAttention(options.Model, options.Heads, options.AttentionDropout, rng));
        Linear1 = AddModule("linear1", new Linear(options.Model, options.FeedForward, rng));
        _feedForwardDropout = AddModule("dropout", new Dropout(options.FeedForwardDropout, rng));
        Linear2 = AddModule("linear2", new Linear(options.FeedForward, options.Model, rng));
        Norm1 = AddModule("norm1", new LayerNorm(options.Model, options.LayerNormEps));
        Norm2 = AddModule("norm2", new LayerNorm(options.Model, options.LayerNormEps));
        _attentionOutDropout = AddModule("dropout1", new Dropout(options.AttentionDropout, rng));
        _feedForwardOutDropout = AddModule("dropout2", new Dropout(options.FeedForwardDropout, rng));
    }

    public TransformerEncoderLayerOptions Options { get; }
    public MultiheadAttention SelfAttention { get; }
    public Linear Linear1 { get; }
    public Linear Linear2 { get; }
    public LayerNorm Norm1 { get; }
    public LayerNorm Norm2 { get; }

    public Tensor Forward(Tape tape, Tensor x, Tensor? keyPaddingMask = null)
    {
        if (Options.NormFirst)
        {
            x = Ops.Add(tape, x, AttentionBlock(tape, Norm1.Forward(tape, x), keyPaddingMask));
            return Ops.Add(tape, x, FeedForwardBlock(tape, Norm2.Forward(tape, x)));
        }
        x = Norm1.Forward(tape, Ops.Add(tape, x, AttentionBlock(tape, x, keyPaddingMask)));
        return Norm2.Forward(tape, Ops.Add(tape, x, FeedForwardBlock(tape, x)));
    }

    private Tensor AttentionBlock(Tape tape, Tensor x, Tensor? mask) =>
        _attentionOutDropout.Forward(tape, SelfAttention.Forward(tape, x, mask));

    private Tensor FeedForwardBlock(Tape tape, Tensor x)
    {
        var h = Activation.Apply(tape, Linear1.Forward(tape, x), Options.Activation);
        h = Linear2.Forward(tape, _feedForwardDropout.Forward(tape, h));
        return _feedForwardOutDropout.Forward(tape, h);
    }
}
