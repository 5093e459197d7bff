using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>A module with one input and one output, so it can sit in a <see cref="Sequential"/>.</summary>
public interface ILayer
{
    Tensor Forward(Tape tape, Tensor x);

    /// <summary>The same layer in an ONNX graph (inference): adds its nodes after value <paramref name="x"/> and returns the output's name.</summary>
    string ExportOnnx(Onnx.OnnxGraph graph, string x) => throw new NotSupportedException($"ONNX export: the layer {GetType().Name} has no mapping yet.");
}
