using System.Globalization;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>
/// nn.LSTM(batch_first=True): layers stacked, parameters weight_ih_l{k} [4H, in], weight_hh_l{k} [4H, H],
/// bias_ih_l{k}, bias_hh_l{k}, gate order (i, f, g, o), all initialised U(-1/sqrt(H), 1/sqrt(H)).
/// Dropout (if any) between stacked layers, as PyTorch. Forward returns the last layer's hidden states [B, T, H].
/// </summary>
public sealed class Lstm : Module, ILayer
{
    private readonly List<(Parameter Wih, Parameter Whh, Parameter Bih, Parameter Bhh)> _layers = [];
    private readonly float _dropout;
    private readonly Rng _rng;

    protected override IEnumerable<Rng> OwnGenerators() => [_rng];

    public Lstm(int inputSize, int hiddenSize, Rng rng, int layers = 1, float dropout = 0f)
    {
        if (inputSize <= 0 || hiddenSize <= 0 || layers <= 0)
            throw new ArgumentException($"Lstm: sizes must be positive, got input {inputSize}, hidden {hiddenSize}, layers {layers}.");
        HiddenSize = hiddenSize;
        double bound = 1.0 / Math.Sqrt(hiddenSize);
        for (int k = 0; k < layers; k++)
        {
            string s = k.ToString(CultureInfo.InvariantCulture);
            int input = k == 0 ? inputSize : hiddenSize;
            _layers.Add((
                AddParameter("weight_ih_l" + s, new Shape(4 * hiddenSize, input), Uniform(rng, bound)),
                AddParameter("weight_hh_l" + s, new Shape(4 * hiddenSize, hiddenSize), Uniform(rng, bound)),
                AddParameter("bias_ih_l" + s, new Shape(4 * hiddenSize), Uniform(rng, bound)),
                AddParameter("bias_hh_l" + s, new Shape(4 * hiddenSize), Uniform(rng, bound))));
        }
        _dropout = dropout;
        _rng = rng;
    }

    public int HiddenSize { get; }

    public Tensor Forward(Tape tape, Tensor x)
    {
        for (int k = 0; k < _layers.Count; k++)
        {
            if (k > 0) x = Ops.Dropout(tape, x, _dropout, Training, _rng);
            var (wih, whh, bih, bhh) = _layers[k];
            x = Ops.Lstm(tape, x, wih.Value, whh.Value, bih.Value, bhh.Value);
        }
        return x;
    }

    /// <summary>
    /// The same LSTM in an ONNX graph (inference), batch-first x[B, L, in] → every hidden state [B, L, H]: one ONNX
    /// LSTM operator per layer on the sequence-first layout, its gates reordered from PyTorch's (input, forget, cell,
    /// output) to ONNX's (input, output, forget, cell) in constants beside the stored weights.
    /// </summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x)
    {
        int h = HiddenSize;
        var y = graph.Node("Transpose", [x], null, ("perm", new long[] { 1, 0, 2 }));
        foreach (var (wih, whh, bih, bhh) in _layers)
        {
            var w = OnnxGates(wih.Value.Data, wih.Shape[1]);
            var r = OnnxGates(whh.Value.Data, h);
            var b = OnnxGates(bih.Value.Data, 1).Concat(OnnxGates(bhh.Value.Data, 1)).ToArray();
            var states = graph.Node("LSTM", [y, graph.Floats("lstm_w", w, 1, 4 * h, wih.Shape[1]), graph.Floats("lstm_r", r, 1, 4 * h, h),
                graph.Floats("lstm_b", b, 1, 8 * h)], null, ("hidden_size", (long)h));
            y = graph.Node("Squeeze", [states, graph.Int64s("direction_axis", [1])]); // [L, 1, B, H] → [L, B, H]
        }
        return graph.Node("Transpose", [y], null, ("perm", new long[] { 1, 0, 2 }));
    }

    /// <summary>Rows of 4 gate blocks [i, f, g, o] (each H rows of <paramref name="columns"/>) in ONNX's order [i, o, f, g].</summary>
    private float[] OnnxGates(ReadOnlySpan<float> pytorch, int columns)
    {
        int block = HiddenSize * columns;
        var onnx = new float[4 * block];
        int[] from = [0, 3, 1, 2];
        for (int gate = 0; gate < 4; gate++) pytorch.Slice(from[gate] * block, block).CopyTo(onnx.AsSpan(gate * block, block));
        return onnx;
    }
}
