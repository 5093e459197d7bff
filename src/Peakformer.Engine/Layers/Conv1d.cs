using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>nn.Conv1d (groups = 1): weight [out, in, k], bias [out], init U(-1/sqrt(in k), 1/sqrt(in k)).</summary>
public sealed class Conv1d : Module, ILayer
{
    public Conv1d(int inChannels, int outChannels, int kernel, Rng rng, int stride = 1, int padding = 0, int dilation = 1, bool bias = true)
    {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0)
            throw new ArgumentException($"Conv1d: channels and kernel must be positive, got {inChannels} -> {outChannels}, kernel {kernel}.");
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        double bound = 1.0 / Math.Sqrt(inChannels * kernel);
        Weight = AddParameter("weight", new Shape(outChannels, inChannels, kernel), Uniform(rng, bound));
        Bias = bias ? AddParameter("bias", new Shape(outChannels), Uniform(rng, bound)) : null;
    }

    public int Stride { get; }
    public int Padding { get; }
    public int Dilation { get; }
    public Parameter Weight { get; }
    public Parameter? Bias { get; }

    public Tensor Forward(Tape tape, Tensor x) => Ops.Conv1d(tape, x, Weight.Value, Bias?.Value, Stride, Padding, Dilation);

    /// <summary>The same convolution in an ONNX graph (Conv), x[B, C, L] → [B, out, L'].</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x)
    {
        string[] inputs = Bias is null ? [x, graph.Parameter(Weight)] : [x, graph.Parameter(Weight), graph.Parameter(Bias)];
        return graph.Node("Conv", inputs, null, ("kernel_shape", new long[] { Weight.Shape[2] }), ("strides", new long[] { Stride }),
            ("pads", new long[] { Padding, Padding }), ("dilations", new long[] { Dilation }));
    }
}
