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
/// layers equals Peakformer's forward within 1e-5; a layer without a mapping says so.
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
    public void A_layer_without_a_mapping_says_which()
    {
        var rng = new Rng(1);
        var lstm = new Lstm(3, 4, rng);
        var graph = new OnnxGraph(lstm, "lstm");
        var e = Assert.Throws<NotSupportedException>(() => ((ILayer)lstm).ExportOnnx(graph, graph.Input("x", "batch", 5, 3)));
        Assert.Contains("Lstm has no mapping yet", e.Message);
    }
}
