using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;
using Peakformer.Vision.Models;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// A transformer on spectra (the 1D Vision Transformer of ters-ml-math-reference.md §5 with one channel): spectra
/// [B, L] → logits [B, K]. The spectrum is zero-padded to a whole number of patches of P points, each patch mapped to
/// a token by a Conv1d(1, D, P, stride P), a class token is prepended, learned positions added, the ViT encoder
/// (<see cref="VisionEncoder"/>) run, and a linear head reads the class token. Parameters under torchvision's ViT
/// names (class_token, conv_proj.weight [D, 1, P], encoder.pos_embedding, encoder.layers.encoder_layer_{i}.*,
/// encoder.ln.*, heads.head.*), as the image model's 1D-patch variant.
/// </summary>
public sealed class SpectrumTransformer : Module, ITrainable
{
    public SpectrumTransformer(SpectrumTransformerConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        int d = config.Model;
        ClassToken = AddModule("", new ClassToken(d, rng, "class_token"));
        // torchvision starts the class token at zero.
        ClassToken.Token.Value.Data.Clear();
        Patches = AddModule("", new PatchEmbedding1d(config.PatchSize, d, rng, 1, "conv_proj"));
        Encoder = AddModule("encoder", new VisionEncoder(config.Patches + 1, d, config.Heads, config.FeedForward, config.Layers, config.Dropout, config.AttentionDropout, rng));
        Head = AddModule("heads.head", new Linear(d, config.Classes, rng));
        // As torchvision: a zero head, every class equally likely at the start.
        Head.Weight.Value.Data.Clear();
        Head.Bias!.Value.Data.Clear();
    }

    public SpectrumTransformerConfig Config { get; }
    Module ITrainable.Module => this;
    public ClassToken ClassToken { get; }
    public PatchEmbedding1d Patches { get; }
    internal VisionEncoder Encoder { get; }
    public Linear Head { get; }

    /// <summary>spectra [B, L] → logits [B, K].</summary>
    public Tensor Forward(Tape tape, Tensor spectra)
    {
        int length = Config.Length, padded = Config.Patches * Config.PatchSize;
        if (spectra.Shape.Rank != 2 || spectra.Shape[1] != length)
            throw new ArgumentException($"SpectrumTransformer: expected spectra [batch, {length}], got {spectra.Shape}.");
        int b = spectra.Shape[0];
        var x = padded == length ? spectra : Ops.Concat(tape, [spectra, tape.Zeros(new Shape(b, padded - length))], axis: 1);
        var tokens = Patches.Forward(tape, x);
        return Head.Forward(tape, Encoder.ForwardClassToken(tape, ClassToken.Forward(tape, tokens), null));
    }

    /// <summary>
    /// The same model in an ONNX graph (inference): spectra [B, L] (the value <paramref name="spectra"/>) → logits
    /// [B, K]. The zero padding to whole patches is a Pad; every encoder block is exported whole and the class token
    /// taken before the final norm, which normalises each token on its own (as the image ViT's export).
    /// </summary>
    public string ExportOnnx(Engine.Onnx.OnnxGraph graph, string spectra)
    {
        int extra = Config.Patches * Config.PatchSize - Config.Length;
        var x = extra == 0 ? spectra : graph.Node("Pad", [spectra, graph.Int64s("patch_padding", [0, 0, 0, extra])]);
        var tokens = Patches.ExportOnnx(graph, graph.Node("Unsqueeze", [x, graph.Int64s("channel_axis", [1])]));
        var h = Encoder.Positions.ExportOnnx(graph, ClassToken.ExportOnnx(graph, tokens));
        foreach (var layer in Encoder.Layers) h = layer.ExportOnnx(graph, h);
        return Head.ExportOnnx(graph, Encoder.Norm.ExportOnnx(graph, Engine.Layers.ClassToken.SelectOnnx(graph, h)));
    }
}
