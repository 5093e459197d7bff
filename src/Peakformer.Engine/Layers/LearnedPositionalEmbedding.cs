using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// A learned position table whose first L rows are added to x[B, L, D]. Stored as "weight" [maxLength, D]
/// (nn.Embedding's layout) by default; <c>name</c> and <c>batchAxis</c> give other layouts, e.g. torchvision's
/// ViT "pos_embedding" [1, maxLength, D].
/// </summary>
public sealed class LearnedPositionalEmbedding : Module, ILayer
{
    private readonly int _model;

    public LearnedPositionalEmbedding(int maxLength, int model, Rng rng, string name = "weight", bool batchAxis = false)
    {
        MaxLength = maxLength;
        _model = model;
        Weight = AddParameter(name, batchAxis ? new Shape(1, maxLength, model) : new Shape(maxLength, model), Normal(rng, 0.02));
    }

    public int MaxLength { get; }
    public Parameter Weight { get; }

    public Tensor Forward(Tape tape, Tensor x)
    {
        if (x.Shape.Rank != 3 || x.Shape[1] > MaxLength || x.Shape[2] != _model)
            throw new ArgumentException($"LearnedPositionalEmbedding: input {x.Shape} needs length <= {MaxLength} and {_model} features.");
        var table = Weight.Shape.Rank == 2 ? Weight.Value : Ops.Reshape(tape, Weight.Value, new Shape(MaxLength, _model));
        var rows = x.Shape[1] == MaxLength ? table : Ops.Slice(tape, table, 0, 0, x.Shape[1]);
        return Ops.Add(tape, x, rows);
    }

    /// <summary>The same in an ONNX graph for sequences of exactly <see cref="MaxLength"/>: x + the table.</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x) => graph.Node("Add", [x, graph.Parameter(Weight)]);
}
