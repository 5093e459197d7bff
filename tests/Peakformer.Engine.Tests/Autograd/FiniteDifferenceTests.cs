using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Autograd;

/// <summary>Every operation's backward against central finite differences, on shapes that are not multiples of the SIMD width.</summary>
public class FiniteDifferenceTests
{
    private static readonly Rng Rng = new(2024);

    private static Tensor R(params int[] dims) => Make.Random(Rng, new Shape(dims));

    public static TheoryData<KernelVariant> Variants() => KernelScope.Variants();

    [Theory, MemberData(nameof(Variants))]
    public void Linear_and_batched_matmul(KernelVariant v)
    {
        using var s = KernelScope.Use(v);
        GradientCheck.Run((t, x) => Ops.Linear(t, x[0], x[1], x[2]), [R(3, 7, 17), R(15, 17), R(15)]);
        GradientCheck.Run((t, x) => Ops.Linear(t, x[0], x[1], null), [R(65, 1), R(3, 1)]);
        foreach (var (ta, tb) in new[] { (false, false), (true, false), (false, true), (true, true) })
            GradientCheck.Run((t, x) => Ops.MatMul(t, x[0], x[1], ta, tb),
                [ta ? R(2, 7, 3) : R(2, 3, 7), tb ? R(2, 5, 7) : R(2, 7, 5)]);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Elementwise_and_activations(KernelVariant v)
    {
        using var s = KernelScope.Use(v);
        GradientCheck.Run((t, x) => Ops.Add(t, x[0], x[1]), [R(3, 5, 17), R(5, 17)]);
        GradientCheck.Run((t, x) => Ops.Mul(t, x[0], x[1]), [R(3, 17), R(17)]);
        GradientCheck.Run((t, x) => Ops.Scale(t, x[0], -1.7f), [R(15)]);
        GradientCheck.Run((t, x) => Ops.Gelu(t, x[0]), [R(65)]);
        GradientCheck.Run((t, x) => Ops.Gelu(t, x[0], GeluApproximation.Tanh), [R(65)]);
        GradientCheck.Run((t, x) => Ops.Sigmoid(t, x[0]), [R(17)]);
        GradientCheck.Run((t, x) => Ops.Tanh(t, x[0]), [R(17)]);
        GradientCheck.Run((t, x) => Ops.Softplus(t, x[0]), [Make.Random(Rng, new Shape(33), 4)]);
        var shifted = R(33);
        foreach (ref float value in shifted.Data) value += value > 0 ? 0.05f : -0.05f; // keep ReLU away from its kink
        GradientCheck.Run((t, x) => Ops.Relu(t, x[0]), [shifted]);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Softmax_layer_norm_and_reductions(KernelVariant v)
    {
        using var s = KernelScope.Use(v);
        GradientCheck.Run((t, x) => Ops.Softmax(t, x[0]), [R(3, 17)]);
        GradientCheck.Run((t, x) => Ops.LogSoftmax(t, x[0]), [R(7, 3)]);
        GradientCheck.Run((t, x) => Ops.LayerNorm(t, x[0], x[1], x[2]), [R(5, 17), R(17), R(17)]);
        GradientCheck.Run((t, x) => Ops.LayerNorm(t, x[0], x[1], x[2]), [R(3, 65), R(65), R(65)]);
        GradientCheck.Run((t, x) => Ops.LayerNorm(t, x[0], x[1], x[2]), [R(3, 64), R(64), R(64)]); // whole vectors
        GradientCheck.Run((t, x) => Ops.ResidualLayerNorm(t, x[0], x[1], 0.3f, true, new Rng(5), x[2], x[3]), [R(3, 32), R(3, 32), R(32), R(32)]);
        GradientCheck.Run((t, x) => Ops.Mean(t, x[0]), [R(15)]);
        var mask = Tensor.Zeros(3, 7);
        mask.Data[5] = mask.Data[6] = 1f;
        GradientCheck.Run((t, x) => Ops.MeanPool(t, x[0], mask), [R(3, 7, 5)]);
        GradientCheck.Run((t, x) => Ops.MeanPool(t, x[0]), [R(2, 15, 3)]);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Attention_with_mask(KernelVariant v)
    {
        using var s = KernelScope.Use(v);
        var mask = Tensor.Zeros(2, 7);
        mask.Data[5] = mask.Data[6] = 1f;
        GradientCheck.Run((t, x) => Ops.Attention(t, x[0], 3, mask), [R(2, 7, 3 * 3 * 5)]);
        GradientCheck.Run((t, x) => Ops.Attention(t, x[0], 1), [R(1, 17, 3 * 17)]);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Convolution_and_pooling(KernelVariant v)
    {
        using var s = KernelScope.Use(v);
        GradientCheck.Run((t, x) => Ops.Conv1d(t, x[0], x[1], x[2], stride: 2, padding: 2, dilation: 3), [R(2, 3, 17), R(5, 3, 3), R(5)]);
        GradientCheck.Run((t, x) => Ops.Conv1d(t, x[0], x[1], null), [R(1, 1, 15), R(1, 1, 7)]);
        GradientCheck.Run((t, x) => Ops.AvgPool1d(t, x[0], 3, 2, 1), [R(2, 3, 15)]);
        GradientCheck.Run((t, x) => Ops.MaxPool1d(t, x[0], 2), [R(2, 3, 17)], step: 1e-3);
    }

    [Theory, MemberData(nameof(Variants))]
    public void Lstm_sequence(KernelVariant v)
    {
        using var s = KernelScope.Use(v);
        int h = 3;
        GradientCheck.Run((t, x) => Ops.Lstm(t, x[0], x[1], x[2], x[3], x[4]),
            [R(2, 7, 5), R(4 * h, 5), R(4 * h, h), R(4 * h), R(4 * h)]);
    }

    [Fact]
    public void Shape_operations_and_embedding()
    {
        GradientCheck.Run((t, x) => Ops.Reshape(t, x[0], new Shape(5, 3)), [R(15)]);
        GradientCheck.Run((t, x) => Ops.Transpose(t, x[0], 0, 2), [R(2, 3, 5)]);
        GradientCheck.Run((t, x) => Ops.Transpose(t, x[0], 1, 2), [R(2, 3, 5)]);
        GradientCheck.Run((t, x) => Ops.Slice(t, x[0], 1, 1, 3), [R(2, 7, 3)]);
        GradientCheck.Run((t, x) => Ops.Concat(t, [x[0], x[1]], 1), [R(2, 3, 4), R(2, 5, 4)]);
        GradientCheck.Run((t, x) => Ops.PrependToken(t, x[0], x[1]), [R(2, 3, 5), R(1, 1, 5)]);
        GradientCheck.Run((t, x) => Ops.Patchify2d(t, x[0], 3), [R(2, 2, 6, 9)]);
        int[] ids = [3, 0, 3, 1];
        GradientCheck.Run((t, x) => Ops.Embedding(t, ids, new Shape(2, 2), x[0]), [R(5, 3)]);
    }

    [Fact]
    public void Losses()
    {
        var targets = Tensor.FromArray([1f, 0f, 1f, 0f, 0f, 1f, 0f], 7);
        GradientCheck.Run((t, x) => Ops.BceWithLogits(t, x[0], targets, 2.5f), [R(7)]);
        GradientCheck.Run((t, x) => Ops.CrossEntropy(t, x[0], [0, 2, 1, 2, 2], [0.5f, 2f, 1f], 0.1f), [R(5, 3)]);
        GradientCheck.Run((t, x) => Ops.MseLoss(t, x[0], x[1]), [R(7), R(7)]);
        GradientCheck.Run((t, x) => Ops.HuberLoss(t, x[0], x[1], 0.5f), [R(7), R(7)], step: 1e-3);
        GradientCheck.Run((t, x) => Ops.L1Loss(t, x[0], x[1]), [R(7), R(7)], step: 1e-3);
    }
}
