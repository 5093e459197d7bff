using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>The activation functions a model can name in its config.</summary>
public enum ActivationKind
{
    Gelu,
    GeluTanh,
    Relu,
    Sigmoid,
    Tanh,
}

/// <summary>A parameter-free activation layer (nn.GELU, nn.ReLU, ...).</summary>
public sealed class Activation(ActivationKind kind) : Module, ILayer
{
    public ActivationKind Kind { get; } = kind;

    public Tensor Forward(Tape tape, Tensor x) => Apply(tape, x, Kind);

    public string ExportOnnx(Onnx.OnnxGraph graph, string x) => graph.Activation(x, Kind);

    public static Tensor Apply(Tape tape, Tensor x, ActivationKind kind) => kind switch
    {
        ActivationKind.Gelu => Ops.Gelu(tape, x),
        ActivationKind.GeluTanh => Ops.Gelu(tape, x, GeluApproximation.Tanh),
        ActivationKind.Relu => Ops.Relu(tape, x),
        ActivationKind.Sigmoid => Ops.Sigmoid(tape, x),
        ActivationKind.Tanh => Ops.Tanh(tape, x),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), $"Unknown activation {kind}."),
    };
}
