using Microsoft.ML.OnnxRuntime;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Onnx;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;

namespace Peakformer.Tests.Onnx;

/// <summary>
/// Each activation's ONNX mapping (exact and tanh GELU, ReLU, sigmoid, tanh) run by ONNX Runtime between two linear
/// layers, a two-layer LSTM (ONNX's LSTM operator, gates reordered) and multi-head attention with a key padding mask
/// (a row with every key padded included) equal Peakformer's forward within 1e-5; a layer without a mapping says so.
/// </summary>
public class LayerOnnxExportTests
{
    [Theory]
    [InlineData(ActivationKind.Gelu)]
    [InlineData(ActivationKind.GeluTanh)]
    [InlineData(ActivationKind.Relu)]
    [InlineData(ActivationKind.Sigmoid)]
    [InlineData(ActivationKind.Tanh)]
    public void An_activation_between_two_linear_layers_runs_in_onnx_runtime_as_in_peakformer(ActivationKind kind)
    {
        var rng = new Rng(11);
        var mlp = new Sequential(new Linear(4, 6, rng), new Activation(kind), new Dropout(0.5f, rng), new Linear(6, 3, rng));
        mlp.Eval();
        var graph = new OnnxGraph(mlp, "mlp");
        graph.Output(mlp.ExportOnnx(graph, graph.Input("x", "batch", 4)), "y", "batch", 3);
        var x = new float[7 * 4];
        // Wide enough that GELU's tails and ReLU's kink both matter.
        for (int i = 0; i < x.Length; i++) x[i] = (float)(3 * rng.NextNormal());
        var expected = mlp.Forward(new Tape(gradients: false), Tensor.FromArray(x, new Shape(7, 4))).ToArray();

        using var session = new InferenceSession(graph.ToBytes("test", new Dictionary<string, string>()));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor(x, [7, 4]))]);
        var y = results.First().AsTensor<float>().ToArray();
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.InRange(Math.Abs(expected[i] - y[i]), 0, 1e-5);
    }

    [Fact]
    public void A_two_layer_lstm_runs_in_onnx_runtime_as_in_peakformer()
    {
        var rng = new Rng(12);
        var lstm = new Lstm(3, 5, rng, layers: 2, dropout: 0.3f);
        foreach (var (_, p) in lstm.NamedParameters())
            for (int i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] += (float)(0.3 * rng.NextNormal());
        lstm.Eval();
        var graph = new OnnxGraph(lstm, "lstm");
        graph.Output(lstm.ExportOnnx(graph, graph.Input("x", "batch", "length", 3)), "y", "batch", "length", 5);
        var x = new float[4 * 9 * 3];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
        var expected = lstm.Forward(new Tape(gradients: false), Tensor.FromArray(x, new Shape(4, 9, 3))).ToArray();

        using var session = new InferenceSession(graph.ToBytes("test", new Dictionary<string, string>()));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor(x, [4, 9, 3]))]);
        var y = results.First().AsTensor<float>().ToArray();
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.InRange(Math.Abs(expected[i] - y[i]), 0, 1e-5);
    }

    [Fact]
    public void Attention_with_a_key_padding_mask_runs_in_onnx_runtime_as_in_peakformer_even_when_every_key_is_padded()
    {
        var rng = new Rng(13);
        var attention = new MultiheadAttention(8, 2, 0.1f, rng);
        // Biases off zero, so the out-projection's bias (a fully padded query's whole output) is seen.
        foreach (var (_, p) in attention.NamedParameters())
            for (int i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] += (float)(0.3 * rng.NextNormal());
        attention.Eval();
        var graph = new OnnxGraph(attention, "attention");
        graph.Output(attention.ExportOnnx(graph, graph.Input("x", "batch", "length", 8), graph.Input("mask", "batch", "length")), "y", "batch", "length", 8);
        const int b = 4, l = 6;
        var x = new float[b * l * 8];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextNormal();
        // Rows: no padding, the last two keys padded, a hole in the middle, every key padded.
        var mask = new float[]
        {
            0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 1, 1,
            0, 1, 1, 0, 0, 1,
            1, 1, 1, 1, 1, 1,
        };
        var expected = attention.Forward(new Tape(gradients: false), Tensor.FromArray(x, new Shape(b, l, 8)), Tensor.FromArray(mask, new Shape(b, l))).ToArray();

        using var session = new InferenceSession(graph.ToBytes("test", new Dictionary<string, string>()));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor(x, [b, l, 8])), NamedOnnxValue.CreateFromTensor("mask", new DenseTensor(mask, [b, l]))]);
        var y = results.First().AsTensor<float>().ToArray();
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.InRange(Math.Abs(expected[i] - y[i]), 0, 1e-5);
        // The fully padded row attends to nothing: only the out-projection's bias is left.
        var bias = attention.OutProj.Bias!.Value.Data;
        for (int i = 0; i < l * 8; i++) Assert.InRange(Math.Abs(y[3 * l * 8 + i] - bias[i % 8]), 0, 1e-6);
    }

    [Fact]
    public void A_layer_without_a_mapping_says_which()
    {
        var square = new Square();
        var graph = new OnnxGraph(square, "square");
        var e = Assert.Throws<NotSupportedException>(() => ((ILayer)square).ExportOnnx(graph, graph.Input("x", "batch", 3)));
        Assert.Contains("Square has no mapping yet", e.Message);
    }

    /// <summary>A layer written without an ONNX mapping.</summary>
    private sealed class Square : Module, ILayer
    {
        public Tensor Forward(Tape tape, Tensor x) => Ops.Mul(tape, x, x);
    }
}
