using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>nn.LayerNorm over the last dimension; weight 1, bias 0 at start.</summary>
public sealed class LayerNorm : Module, ILayer
{
    public LayerNorm(int features, float eps = 1e-5f)
    {
        Eps = eps;
        Weight = AddParameter("weight", new Shape(features), Constant(1f));
        Bias = AddParameter("bias", new Shape(features), Constant(0f));
    }

    public float Eps { get; }
    public Parameter Weight { get; }
    public Parameter Bias { get; }

    public Tensor Forward(Tape tape, Tensor x) => Ops.LayerNorm(tape, x, Weight.Value, Bias.Value, Eps);

    /// <summary>The same normalisation in an ONNX graph (LayerNormalization over the last axis).</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x) =>
        graph.Node("LayerNormalization", [x, graph.Parameter(Weight), graph.Parameter(Bias)], null, ("axis", -1L), ("epsilon", Eps));
}
