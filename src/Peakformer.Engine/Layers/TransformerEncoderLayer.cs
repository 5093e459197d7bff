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
    /// <summary>Dropout on the attention weights, and on the attention output before its residual add unless <see cref="AttentionOutputDropout"/> is set.</summary>
    public float AttentionDropout { get; init; } = 0.1f;
    /// <summary>Dropout on the attention output before its residual add (torchvision's ViT: its "dropout", not attention_dropout); null: <see cref="AttentionDropout"/>.</summary>
    public float? AttentionOutputDropout { get; init; }
    /// <summary>Dropout inside the feed-forward block and on its output before its residual add.</summary>
    public float FeedForwardDropout { get; init; } = 0.1f;
    public ActivationKind Activation { get; init; } = ActivationKind.Relu;
    /// <summary>Pre-norm (norm_first=True) instead of PyTorch's default post-norm.</summary>
    public bool NormFirst { get; init; }
    public float LayerNormEps { get; init; } = 1e-5f;
    /// <summary>Sub-layer names (PyTorch's by default).</summary>
    public EncoderLayerNames Names { get; init; } = EncoderLayerNames.PyTorch;
}

/// <summary>
/// nn.TransformerEncoderLayer (batch_first=True) with PyTorch's parameter names: self_attn, linear1, linear2,
/// norm1, norm2 (or torchvision's ViT block's, see <see cref="EncoderLayerNames"/>). Post-norm: x = norm1(x + drop(sa(x))); x = norm2(x + drop(ff(x))).
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
        var names = options.Names;
        SelfAttention = AddModule(names.SelfAttention, new MultiheadAttention(options.Model, options.Heads, options.AttentionDropout, rng));
        Linear1 = AddModule(names.Linear1, new Linear(options.Model, options.FeedForward, rng));
        _feedForwardDropout = AddModule("dropout", new Dropout(options.FeedForwardDropout, rng));
        Linear2 = AddModule(names.Linear2, new Linear(options.FeedForward, options.Model, rng));
        Norm1 = AddModule(names.Norm1, new LayerNorm(options.Model, options.LayerNormEps));
        Norm2 = AddModule(names.Norm2, new LayerNorm(options.Model, options.LayerNormEps));
        _attentionOutDropout = AddModule("dropout1", new Dropout(options.AttentionOutputDropout ?? options.AttentionDropout, rng));
        _feedForwardOutDropout = AddModule("dropout2", new Dropout(options.FeedForwardDropout, rng));
    }

    public TransformerEncoderLayerOptions Options { get; }
    public MultiheadAttention SelfAttention { get; }
    public Linear Linear1 { get; }
    public Linear Linear2 { get; }
    public LayerNorm Norm1 { get; }
    public LayerNorm Norm2 { get; }

    /// <param name="attentionProbabilities">If given, [B, H, L, L] receives the attention probabilities (see <see cref="MultiheadAttention.Forward"/>).</param>
    public Tensor Forward(Tape tape, Tensor x, Tensor? keyPaddingMask = null, Tensor? attentionProbabilities = null)
    {
        // The residual dropouts (dropout1, dropout2) are fused into the residual operations.
        if (Options.NormFirst)
        {
            x = Residual(tape, x, SelfAttention.Forward(tape, Norm1.Forward(tape, x), keyPaddingMask, attentionProbabilities), _attentionOutDropout);
            return Residual(tape, x, FeedForward(tape, Norm2.Forward(tape, x)), _feedForwardOutDropout);
        }
        x = ResidualNorm(tape, x, SelfAttention.Forward(tape, x, keyPaddingMask, attentionProbabilities), _attentionOutDropout, Norm1);
        return ResidualNorm(tape, x, FeedForward(tape, x), _feedForwardOutDropout, Norm2);
    }

    /// <summary>
    /// x[B, L, D] → [B, D]: the block's output at the first token only, for a head that reads the class token of
    /// the last block. Keys and values are still projected for every token; the first token alone gets a query,
    /// the output projection and the feed-forward block. Equals the first row of <see cref="Forward"/> up to
    /// rounding; while training with dropout it is that row, so the masks drawn stay those of the full block.
    /// </summary>
    /// <param name="attentionProbabilities">If given, [B, H, L, L] receives every row's attention probabilities (see <see cref="MultiheadAttention.ForwardFirstQuery"/>).</param>
    public Tensor ForwardFirstToken(Tape tape, Tensor x, Tensor? attentionProbabilities = null)
    {
        bool dropping = Training && (SelfAttention.DropoutProbability > 0 || _attentionOutDropout.Probability > 0
            || _feedForwardDropout.Probability > 0 || _feedForwardOutDropout.Probability > 0);
        if (dropping) return ClassToken.Select(tape, Forward(tape, x, attentionProbabilities: attentionProbabilities));
        var first = ClassToken.Select(tape, x);
        if (Options.NormFirst)
        {
            first = Residual(tape, first, SelfAttention.ForwardFirstQuery(tape, Norm1.Forward(tape, x), attentionProbabilities), _attentionOutDropout);
            return Residual(tape, first, FeedForward(tape, Norm2.Forward(tape, first)), _feedForwardOutDropout);
        }
        first = ResidualNorm(tape, first, SelfAttention.ForwardFirstQuery(tape, x, attentionProbabilities), _attentionOutDropout, Norm1);
        return ResidualNorm(tape, first, FeedForward(tape, first), _feedForwardOutDropout, Norm2);
    }

    private static Tensor Residual(Tape tape, Tensor x, Tensor sublayer, Dropout dropout) =>
        Ops.Residual(tape, x, sublayer, dropout.Probability, dropout.Training, dropout.Generator);

    private static Tensor ResidualNorm(Tape tape, Tensor x, Tensor sublayer, Dropout dropout, LayerNorm norm) =>
        Ops.ResidualLayerNorm(tape, x, sublayer, dropout.Probability, dropout.Training, dropout.Generator, norm.Weight.Value, norm.Bias.Value, norm.Eps);

    /// <summary>linear2(dropout(activation(linear1(x)))).</summary>
    private Tensor FeedForward(Tape tape, Tensor x)
    {
        var h = Ops.ActivationDropout(tape, Linear1.Forward(tape, x), Options.Activation,
            _feedForwardDropout.Probability, _feedForwardDropout.Training, _feedForwardDropout.Generator);
        return Linear2.Forward(tape, h);
    }

    /// <summary>The same block in an ONNX graph (inference: no dropout), x[B, L, D] → [B, L, D].</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x, string? keyPaddingMask = null)
    {
        string FeedForwardOnnx(string h) => Linear2.ExportOnnx(graph, graph.Activation(Linear1.ExportOnnx(graph, h), Options.Activation));
        if (Options.NormFirst)
        {
            x = graph.Node("Add", [x, SelfAttention.ExportOnnx(graph, Norm1.ExportOnnx(graph, x), keyPaddingMask)]);
            return graph.Node("Add", [x, FeedForwardOnnx(Norm2.ExportOnnx(graph, x))]);
        }
        x = Norm1.ExportOnnx(graph, graph.Node("Add", [x, SelfAttention.ExportOnnx(graph, x, keyPaddingMask)]));
        return Norm2.ExportOnnx(graph, graph.Node("Add", [x, FeedForwardOnnx(x)]));
    }
}
