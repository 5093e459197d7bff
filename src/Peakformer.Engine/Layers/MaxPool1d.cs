using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>nn.MaxPool1d(kernel, stride = kernel): no parameters; x[B, C, L] → [B, C, floor((L - kernel) / stride) + 1].</summary>
public sealed class MaxPool1d : Module, ILayer
{
    public MaxPool1d(int kernel, int? stride = null)
    {
        if (kernel < 1 || stride is < 1) throw new ArgumentException($"MaxPool1d: kernel {kernel} and stride {stride} must be at least 1.");
        Kernel = kernel;
        Stride = stride ?? kernel;
    }

    public int Kernel { get; }
    public int Stride { get; }

    public Tensor Forward(Tape tape, Tensor x) => Ops.MaxPool1d(tape, x, Kernel, Stride);

    public string ExportOnnx(Onnx.OnnxGraph graph, string x) =>
        graph.Node("MaxPool", [x], null, ("kernel_shape", new long[] { Kernel }), ("strides", new long[] { Stride }));
}
