using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>A learned position table "weight" [maxLength, D] whose first L rows are added to x[B, L, D].</summary>
public sealed class LearnedPositionalEmbedding : Module, ILayer
{
    public LearnedPositionalEmbedding(int maxLength, int model, Rng rng)
    {
        MaxLength = maxLength;
        Weight = AddParameter("weight", new Shape(maxLength, model), Normal(rng, 0.02));
    }

    public int MaxLength { get; }
    public Parameter Weight { get; }

    public Tensor Forward(Tape tape, Tensor x)
    {
        if (x.Shape.Rank != 3 || x.Shape[1] > MaxLength || x.Shape[2] != Weight.Shape[1])
            throw new ArgumentException($"LearnedPositionalEmbedding: input {x.Shape} needs length <= {MaxLength} and {Weight.Shape[1]} features.");
        var rows = x.Shape[1] == MaxLength ? Weight.Value : Ops.Slice(tape, Weight.Value, 0, 0, x.Shape[1]);
        return Ops.Add(tape, x, rows);
    }
}
