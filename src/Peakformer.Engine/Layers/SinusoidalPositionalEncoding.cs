using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// Fixed encoding added to x[B, L, D]: PE(pos, 2j) = sin(pos / 10000^(2j/D)), PE(pos, 2j+1) = cos(pos / 10000^(2j/D))
/// (Vaswani et al. 2017). No parameters, so nothing in the checkpoint.
/// </summary>
public sealed class SinusoidalPositionalEncoding : Module, ILayer
{
    private readonly Dictionary<int, Tensor> _tables = [];

    public SinusoidalPositionalEncoding(int model)
    {
        if (model <= 0) throw new ArgumentException($"SinusoidalPositionalEncoding: model dimension must be positive, got {model}.");
        Model = model;
    }

    public int Model { get; }

    public Tensor Forward(Tape tape, Tensor x)
    {
        if (x.Shape.Rank != 3 || x.Shape[2] != Model)
            throw new ArgumentException($"SinusoidalPositionalEncoding: expected [batch, length, {Model}], got {x.Shape}.");
        return Ops.Add(tape, x, Table(x.Shape[1]));
    }

    /// <summary>The [L, D] table (cached per length).</summary>
    public Tensor Table(int length)
    {
        if (_tables.TryGetValue(length, out var table)) return table;
        table = Tensor.Zeros(length, Model);
        var t = table.Data;
        for (int pos = 0; pos < length; pos++)
            for (int i = 0; i < Model; i += 2)
            {
                double angle = pos * Math.Exp(-Math.Log(10000.0) * i / Model);
                t[pos * Model + i] = (float)Math.Sin(angle);
                if (i + 1 < Model) t[pos * Model + i + 1] = (float)Math.Cos(angle);
            }
        _tables[length] = table;
        return table;
    }

    /// <summary>
    /// The same encoding in an ONNX graph for sequences of any length up to <paramref name="maxLength"/>: the table's
    /// first L rows (L read from x[B, L, D] at run time) added to x.
    /// </summary>
    public string ExportOnnxUpTo(Onnx.OnnxGraph graph, string x, int maxLength)
    {
        var length = graph.Node("Shape", [x], null, ("start", 1L), ("end", 2L));
        var rows = graph.Node("Slice", [graph.Floats("positions", Table(maxLength).Data, maxLength, Model), graph.Int64s("zero", [0]), length, graph.Int64s("row_axis", [0])]);
        return graph.Node("Add", [x, rows]);
    }

    /// <summary>The same encoding in an ONNX graph for sequences of a fixed <paramref name="length"/>: x + the table (a constant).</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x, int length) =>
        graph.Node("Add", [x, graph.Floats("positions", Table(length).Data, length, Model)]);
}
