using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Onnx;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;

namespace Peakformer.Vision.Models;

/// <summary>
/// Vision Transformer classifier: images → logits[B, K]. Patch embedding, class token, learned position embedding,
/// pre-norm encoder blocks, final layer norm, linear head on the class token; parameters named as torchvision's
/// VisionTransformer (class_token, conv_proj.*, encoder.pos_embedding, encoder.layers.encoder_layer_{i}.*,
/// encoder.ln.*, heads.head.*), so a <see cref="PatchGeometry.Square"/> checkpoint loads into torchvision.
/// With <see cref="PatchGeometry.Raster"/> only the patch projection differs: conv_proj.weight is [D, C, P * P],
/// an nn.Conv1d(C, D, P * P, stride P * P) over each channel read in raster order ([B, C, H * W]).
/// Inputs are normalised images ((x - 0.5) / 0.5, §10 of the TERS reference) as [B, C, H, W], [B, H, W] (one
/// channel) or flat [B, C * H * W].
/// </summary>
public sealed class VisionTransformer : Module, ITrainable
{
    /// <param name="kind">The registered kind it is built as, when not the image task's vit or vit1d (e.g. the map task's).</param>
    public VisionTransformer(VisionTransformerConfig config, Rng rng, PatchGeometry geometry = PatchGeometry.Square, string? kind = null)
    {
        config.Validate();
        Config = config;
        Geometry = geometry;
        _kind = kind;
        int d = config.Model, p = config.PatchSize;
        ClassToken = AddModule("", new ClassToken(d, rng, "class_token"));
        // torchvision starts the class token at zero.
        ClassToken.Token.Value.Data.Clear();
        if (geometry == PatchGeometry.Square) Patches2d = AddModule("", new PatchEmbedding2d(config.Channels, p, d, rng, "conv_proj"));
        else Patches1d = AddModule("", new PatchEmbedding1d(p * p, d, rng, config.Channels, "conv_proj"));
        Encoder = AddModule("encoder", new VisionEncoder(config, rng));
        Head = AddModule("heads.head", new Linear(d, config.Classes, rng));
        // torchvision zeroes the head (no representation layer): every class starts equally likely.
        Head.Weight.Value.Data.Clear();
        Head.Bias!.Value.Data.Clear();
    }

    public VisionTransformerConfig Config { get; }
    public PatchGeometry Geometry { get; }
    private readonly string? _kind;
    public string Kind => _kind ?? (Geometry == PatchGeometry.Square ? VisionModels.Vit.Name : VisionModels.Vit1d.Name);
    Module ITrainable.Module => this;
    public ClassToken ClassToken { get; }
    public PatchEmbedding2d? Patches2d { get; }
    public PatchEmbedding1d? Patches1d { get; }
    internal VisionEncoder Encoder { get; }
    public IReadOnlyList<TransformerEncoderLayer> Layers => Encoder.Layers;
    public Linear Head { get; }
    /// <summary>Tokens per image: the patches and the class token (first).</summary>
    public int Tokens => Config.Patches + 1;

    /// <summary>images → logits[B, classes] (a softmax gives the class probabilities).</summary>
    public Tensor Forward(Tape tape, Tensor images) => Run(tape, images, null);

    /// <summary>
    /// Logits and the attention probabilities of every layer: Attention[layer] is [B, heads, S + 1, S + 1] (row:
    /// query token, column: key token; token 0 is the class token, token 1 + k the k-th patch in raster order).
    /// Meant for inference in eval mode: the probabilities are those before attention dropout.
    /// </summary>
    public (Tensor Logits, Tensor[] Attention) ForwardWithAttention(Tape tape, Tensor images)
    {
        int b = images.Shape[0];
        var attention = new Tensor[Config.Layers];
        for (int i = 0; i < attention.Length; i++) attention[i] = Tensor.Zeros(b, Config.Heads, Tokens, Tokens);
        return (Run(tape, images, attention), attention);
    }

    private Tensor Run(Tape tape, Tensor images, Tensor[]? attention)
    {
        int c = Config.Channels, size = Config.ImageSize, pixels = c * size * size;
        var s = images.Shape;
        bool ok = s.Rank switch
        {
            2 => s[1] == pixels,
            3 => c == 1 && s[1] == size && s[2] == size,
            4 => s[1] == c && s[2] == size && s[3] == size,
            _ => false,
        };
        if (!ok)
            throw new ArgumentException($"VisionTransformer: expected images [batch, {c}, {size}, {size}]{(c == 1 ? $", [batch, {size}, {size}]" : "")} or [batch, {pixels}], got {s}.");
        int b = s[0];
        var tokens = Geometry == PatchGeometry.Square
            ? Patches2d!.Forward(tape, Reshaped(tape, images, new Shape(b, c, size, size)))
            : Patches1d!.Forward(tape, Reshaped(tape, images, new Shape(b, c, size * size)));
        return Head.Forward(tape, Encoder.ForwardClassToken(tape, ClassToken.Forward(tape, tokens), attention));
    }

    /// <summary>
    /// The same model in an ONNX graph: normalised images [batch, C, H, W] (the value <paramref name="images"/>) → logits
    /// [batch, K]. Every encoder block is exported whole; the class token is taken before the final norm, which
    /// normalises each token on its own.
    /// </summary>
    public string ExportOnnx(OnnxGraph graph, string images)
    {
        int c = Config.Channels, size = Config.ImageSize;
        var tokens = Geometry == PatchGeometry.Square
            ? Patches2d!.ExportOnnx(graph, images)
            : Patches1d!.ExportOnnx(graph, graph.Node("Reshape", [images, graph.Int64s("raster_shape", [0, c, size * size])]));
        var x = Encoder.Positions.ExportOnnx(graph, ClassToken.ExportOnnx(graph, tokens));
        foreach (var layer in Layers) x = layer.ExportOnnx(graph, x);
        return Head.ExportOnnx(graph, Encoder.Norm.ExportOnnx(graph, Engine.Layers.ClassToken.SelectOnnx(graph, x)));
    }

    private static Tensor Reshaped(Tape tape, Tensor x, Shape shape) => x.Shape == shape ? x : Ops.Reshape(tape, x, shape);
}
