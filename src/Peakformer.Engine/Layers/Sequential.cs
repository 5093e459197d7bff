using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>nn.Sequential: children named "0", "1", ... applied in order.</summary>
public sealed class Sequential : Module, ILayer
{
    private readonly List<ILayer> _layers = [];

    public Sequential(params ILayer[] layers)
    {
        foreach (var layer in layers)
        {
            if (layer is not Module module) throw new ArgumentException("Sequential: every layer must be a Module.");
            AddModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
            _layers.Add(layer);
        }
    }

    public IReadOnlyList<ILayer> Layers => _layers;

    public Tensor Forward(Tape tape, Tensor x)
    {
        foreach (var layer in _layers) x = layer.Forward(tape, x);
        return x;
    }

    /// <summary>The layers in order in an ONNX graph.</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x)
    {
        foreach (var layer in _layers) x = layer.ExportOnnx(graph, x);
        return x;
    }
}
