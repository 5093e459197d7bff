using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>nn.TransformerEncoder: a stack named layers.0, layers.1, ... and an optional final norm ("norm").</summary>
public sealed class TransformerEncoder : Module
{
    private readonly List<TransformerEncoderLayer> _layers = [];

    public TransformerEncoder(TransformerEncoderLayerOptions layer, int count, Rng rng, bool finalNorm = false)
    {
        if (count <= 0) throw new ArgumentException($"TransformerEncoder: needs at least one layer, got {count}.");
        var list = AddModule("layers", new ModuleList());
        for (int i = 0; i < count; i++) _layers.Add(list.Add(new TransformerEncoderLayer(layer, rng)));
        Norm = finalNorm ? AddModule("norm", new LayerNorm(layer.Model, layer.LayerNormEps)) : null;
    }

    public IReadOnlyList<TransformerEncoderLayer> Layers => _layers;
    public LayerNorm? Norm { get; }

    public Tensor Forward(Tape tape, Tensor x, Tensor? keyPaddingMask = null)
    {
        foreach (var layer in _layers) x = layer.Forward(tape, x, keyPaddingMask);
        return Norm is null ? x : Norm.Forward(tape, x);
    }

    /// <summary>The layers (and the final norm, if any) in an ONNX graph.</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x, string? keyPaddingMask = null)
    {
        foreach (var layer in _layers) x = layer.ExportOnnx(graph, x, keyPaddingMask);
        return Norm is null ? x : Norm.ExportOnnx(graph, x);
    }
}
