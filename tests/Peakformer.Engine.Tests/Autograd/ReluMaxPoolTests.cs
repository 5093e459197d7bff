using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Autograd;

/// <summary>The fused ReLU + max pool, and ReLU then max pool without padding, against their definition, in every tier.</summary>
public class ReluMaxPoolTests
{
    public static TheoryData<KernelVariant, int, int> Cases()
    {
        var data = new TheoryData<KernelVariant, int, int>();
        foreach (var v in KernelSettings.Supported)
            foreach (var (k, s) in new[] { (2, 2), (3, 3), (3, 2) }) data.Add(v, k, s);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Values_and_gradients_equal_relu_then_max_pool(KernelVariant v, int kernel, int stride)
    {
        using var scope = KernelScope.Use(v);
        var rng = new Rng(7);
        var values = new float[3 * 4 * 23];
        rng.FillNormal(values, 1f);
        // Ties, zeros and an all-negative window: the first maximum wins, nothing positive gives no gradient.
        values[0] = values[1] = 0.5f;
        values[2] = values[3] = 0f;
        values[4] = -1f; values[5] = -2f;
        var r = new float[3 * 4 * ((23 - kernel) / stride + 1)];
        rng.FillNormal(r, 1f);

        var (fused, dFused) = Run(values, r, tape => x => Ops.ReluMaxPool1d(tape, x, kernel, stride));
        var (pooled, dPooled) = Run(values, r, tape => x => Ops.MaxPool1d(tape, Ops.Relu(tape, x), kernel, stride));

        // By definition: y = max(0, window), the gradient to the window's first maximum when it is positive.
        int rows = 3 * 4, length = 23, outLength = (length - kernel) / stride + 1;
        var y = new float[rows * outLength];
        var dx = new float[values.Length];
        for (int row = 0; row < rows; row++)
            for (int t = 0; t < outLength; t++)
            {
                int first = row * length + t * stride, best = first;
                for (int k = 1; k < kernel; k++) if (values[first + k] > values[best]) best = first + k;
                y[row * outLength + t] = Math.Max(0f, values[best]);
                if (values[best] > 0) dx[best] += r[row * outLength + t];
            }
        Assert.Equal(y, fused);
        Assert.Equal(dx, dFused);
        Assert.Equal(y, pooled);
        Assert.Equal(dx, dPooled);
    }

    private static (float[] Y, float[] Dx) Run(float[] values, float[] r, Func<Tape, Func<Tensor, Tensor>> op)
    {
        var tape = new Tape();
        var x = Tensor.FromArray((float[])values.Clone(), new Shape(3, 4, 23)).WithGrad();
        var y = op(tape)(x);
        tape.Backward(Ops.Sum(tape, Ops.Mul(tape, y, Tensor.FromArray(r, y.Shape))));
        return (y.ToArray(), x.Grad!.ToArray());
    }
}
