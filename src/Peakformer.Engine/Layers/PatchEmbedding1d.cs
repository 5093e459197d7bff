using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// 1D patch embedding: sequences [B, L] → tokens [B, L/p, D], each token a linear map of p consecutive samples.
/// The parameter is shaped as nn.Conv1d(1, D, p, stride=p) "proj.weight" [D, 1, p].
/// </summary>
public sealed class PatchEmbedding1d : Module, ILayer
{
    public PatchEmbedding1d(int patch, int model, Rng rng)
    {
        Patch = patch;
        Projection = AddModule("proj", new ConvWeights(model, patch, new Shape(model, 1, patch), rng));
    }

    public int Patch { get; }
    internal ConvWeights Projection { get; }

    public Tensor Forward(Tape tape, Tensor x)
    {
        if (x.Shape.Rank != 2 || x.Shape[1] % Patch != 0)
            throw new ArgumentException($"PatchEmbedding1d: expected [batch, length] with length divisible by {Patch}, got {x.Shape}.");
        var patches = Ops.Reshape(tape, x, new Shape(x.Shape[0], x.Shape[1] / Patch, Patch));
        return Projection.Apply(tape, patches);
    }
}
