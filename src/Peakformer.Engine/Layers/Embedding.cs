using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>nn.Embedding: weight [vocabulary, D] ~ N(0, 1).</summary>
public sealed class Embedding : Module
{
    public Embedding(int vocabulary, int model, Rng rng)
    {
        Weight = AddParameter("weight", new Shape(vocabulary, model), Normal(rng, 1.0));
    }

    public Parameter Weight { get; }

    public Tensor Forward(Tape tape, int[] ids, Shape idsShape) => Ops.Embedding(tape, ids, idsShape, Weight.Value);
}
