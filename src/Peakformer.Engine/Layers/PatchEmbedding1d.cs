using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// 1D patch embedding: sequences [B, L] (one channel) or [B, C, L] → tokens [B, L/p, D], each token a linear map of
/// p consecutive samples of every channel. The parameter is shaped as nn.Conv1d(C, D, p, stride=p) "proj.weight"
/// [D, C, p]; <c>name</c> renames the convolution.
/// </summary>
public sealed class PatchEmbedding1d : Module, ILayer
{
    public PatchEmbedding1d(int patch, int model, Rng rng, int channels = 1, string name = "proj")
    {
        Patch = patch;
        Channels = channels;
        Projection = AddModule(name, new ConvWeights(model, channels * patch, new Shape(model, channels, patch), rng));
    }

    public int Patch { get; }
    public int Channels { get; }
    internal ConvWeights Projection { get; }

    public Tensor Forward(Tape tape, Tensor x)
    {
        bool flat = x.Shape.Rank == 2 && Channels == 1;
        if (!(flat || (x.Shape.Rank == 3 && x.Shape[1] == Channels)) || x.Shape[x.Shape.Rank - 1] % Patch != 0)
            throw new ArgumentException($"PatchEmbedding1d: expected [batch, {(Channels == 1 ? "" : Channels + ", ")}length] with length divisible by {Patch}, got {x.Shape}.");
        int b = x.Shape[0], n = x.Shape[x.Shape.Rank - 1] / Patch;
        if (Channels == 1) return Projection.Apply(tape, Ops.Reshape(tape, x, new Shape(b, n, Patch)));
        // [B, C, N, p] → [B, N, C, p]: each token's features in the Conv1d weight's (channel, tap) order.
        var split = Ops.Transpose(tape, Ops.Reshape(tape, x, new Shape(b, Channels, n, Patch)), 1, 2);
        return Projection.Apply(tape, Ops.Reshape(tape, split, new Shape(b, n, Channels * Patch)));
    }

    /// <summary>The same embedding in an ONNX graph: a strided Conv over [B, C, L] → tokens [B, L/p, D].</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x) => Projection.ExportOnnx(graph, x, [Patch]);
}
