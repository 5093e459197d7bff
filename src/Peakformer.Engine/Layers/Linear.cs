using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>nn.Linear: y = x W^T + b, weight [out, in], PyTorch's default init U(-1/sqrt(in), 1/sqrt(in)).</summary>
public sealed class Linear : Module, ILayer
{
    public Linear(int inFeatures, int outFeatures, Rng rng, bool bias = true)
    {
        if (inFeatures <= 0 || outFeatures <= 0) throw new ArgumentException($"Linear: sizes must be positive, got {inFeatures} -> {outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        double bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = AddParameter("weight", new Shape(outFeatures, inFeatures), Uniform(rng, bound));
        Bias = bias ? AddParameter("bias", new Shape(outFeatures), Uniform(rng, bound)) : null;
    }

    public int InFeatures { get; }
    public int OutFeatures { get; }
    public Parameter Weight { get; }
    public Parameter? Bias { get; }

    public Tensor Forward(Tape tape, Tensor x) => Ops.Linear(tape, x, Weight.Value, Bias?.Value);

    /// <summary>The same map in an ONNX graph: x → x W^T + b.</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x) => graph.Linear(x, Weight, Bias);
}
