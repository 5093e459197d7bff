using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// ViT patch embedding: images [B, C, H, W] → tokens [B, (H/p)(W/p), D]. The parameter is named and shaped as
/// the usual nn.Conv2d(C, D, p, stride=p) "proj.weight" [D, C, p, p], so PyTorch ViT weights load unchanged;
/// <c>name</c> renames the convolution (torchvision: "conv_proj").
/// </summary>
public sealed class PatchEmbedding2d : Module, ILayer
{
    public PatchEmbedding2d(int channels, int patch, int model, Rng rng, string name = "proj")
    {
        Patch = patch;
        Projection = AddModule(name, new ConvWeights(model, channels * patch * patch, new Shape(model, channels, patch, patch), rng));
    }

    public int Patch { get; }
    internal ConvWeights Projection { get; }

    public Tensor Forward(Tape tape, Tensor images) => Projection.Apply(tape, Ops.Patchify2d(tape, images, Patch));

    /// <summary>The same embedding in an ONNX graph: a strided Conv, images [B, C, H, W] → tokens [B, (H/p)(W/p), D] in raster order.</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string images) =>
        Projection.ExportOnnx(graph, images, [Patch, Patch]);
}

/// <summary>Convolution weights of any rank used as a linear map on flattened patches.</summary>
internal sealed class ConvWeights : Module
{
    private readonly int _out, _in;

    public ConvWeights(int outFeatures, int inFeatures, Shape weightShape, Rng rng)
    {
        _out = outFeatures;
        _in = inFeatures;
        double bound = 1.0 / Math.Sqrt(inFeatures);
        Weight = AddParameter("weight", weightShape, Uniform(rng, bound));
        Bias = AddParameter("bias", new Shape(outFeatures), Uniform(rng, bound));
    }

    public Parameter Weight { get; }
    public Parameter Bias { get; }

    public Tensor Apply(Tape tape, Tensor patches) =>
        Ops.Linear(tape, patches, Ops.Reshape(tape, Weight.Value, new Shape(_out, _in)), Bias.Value);

    /// <summary>The convolution with kernel = stride = <paramref name="kernel"/> in an ONNX graph, then [B, D, N] → [B, N, D].</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x, long[] kernel)
    {
        var y = graph.Node("Conv", [x, graph.Parameter(Weight), graph.Parameter(Bias)], null, ("kernel_shape", kernel), ("strides", kernel));
        var flat = graph.Node("Reshape", [y, graph.Int64s("tokens_shape", [0, 0, -1])]);
        return graph.Node("Transpose", [flat], null, ("perm", new long[] { 0, 2, 1 }));
    }
}
