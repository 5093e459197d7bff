using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Kernels;

/// <summary>The batched im2col + matrix multiply convolution against the plain loops of <see cref="Conv1dReference"/>, in every tier.</summary>
public class Conv1dTests
{
    public static TheoryData<KernelVariant, int, int, int, int, int, int, int, int> Cases()
    {
        var data = new TheoryData<KernelVariant, int, int, int, int, int, int, int, int>();
        // batch, cin, length, cout, kernel, stride, padding, dilation: the CNN's same padding, a patch embedding
        // (stride = kernel), strides with padding and dilation, padding wider than the kernel reaches, a kernel
        // longer than the stride, a case past the micro-kernel tiles, and batches cut into chunks (one sample each;
        // three and then two: Conv1d's column budget).
        (int, int, int, int, int, int, int, int)[] shapes =
        [
            (3, 1, 50, 16, 7, 1, 3, 1), (2, 3, 40, 5, 7, 1, 3, 1), (2, 1, 98, 8, 49, 49, 0, 1), (3, 2, 23, 3, 4, 3, 2, 1),
            (2, 3, 17, 4, 3, 2, 1, 2), (2, 2, 5, 3, 3, 1, 4, 1), (2, 2, 30, 4, 5, 2, 0, 3), (4, 17, 37, 33, 5, 1, 2, 1),
            (3, 8, 600, 4, 7, 1, 3, 1), (5, 4, 700, 3, 7, 1, 3, 1),
        ];
        foreach (var v in KernelSettings.Supported)
            foreach (var (b, ci, l, co, k, s, p, d) in shapes) data.Add(v, b, ci, l, co, k, s, p, d);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_every_gradient_match_the_reference(KernelVariant v, int batch, int cin, int length, int cout, int kernel, int stride, int padding, int dilation)
    {
        using var scope = KernelScope.Use(v);
        var rng = new Rng((ulong)(batch * 1000 + length * 10 + kernel));
        int lout = Conv1dReference.OutLength(length, kernel, stride, padding, dilation);
        var x = Random(rng, new Shape(batch, cin, length)).WithGrad();
        var w = Random(rng, new Shape(cout, cin, kernel)).WithGrad();
        var b = Random(rng, new Shape(cout)).WithGrad();
        var r = Random(rng, new Shape(batch, cout, lout));
        var tape = new Tape();
        var y = Ops.Conv1d(tape, x, w, b, stride, padding, dilation);
        tape.Backward(Ops.Sum(tape, Ops.Mul(tape, y, r)));

        var expected = new float[y.Size];
        Conv1dReference.Forward(x.Data, w.Data, b.Data, expected, batch, cin, length, cout, kernel, stride, padding, dilation);
        var dx = new float[x.Size];
        var dw = new float[w.Size];
        var db = new float[cout];
        Conv1dReference.Backward(x.Data, w.Data, r.Data, dx, dw, db, batch, cin, length, cout, kernel, stride, padding, dilation);
        string what = $"[{v}] {batch}x{cin}x{length} -> {cout}, k{kernel} s{stride} p{padding} d{dilation}";
        Golden.AssertClose(expected, y.Data, what + " output");
        Golden.AssertClose(dx, x.Grad!.Data, what + " d/dx");
        // The weight and bias gradients sum B Lout terms of order one in float32 (the reference in double): their
        // rounding grows with the square root of that count.
        double atol = 1e-5 * Math.Sqrt(batch * lout);
        Golden.AssertClose(dw, w.Grad!.Data, what + " d/dweight", atol: atol);
        Golden.AssertClose(db, b.Grad!.Data, what + " d/dbias", atol: atol);
    }

    // An empty batch (the last chunk of an exhausted input) gives an empty output, as the per-sample loop did.
    [Fact]
    public void An_empty_batch_gives_an_empty_output()
    {
        var x = Tensor.Zeros(new Shape(0, 2, 30));
        var w = Random(new Rng(1), new Shape(4, 2, 5));
        var y = Ops.Conv1d(new Tape(), x, w, null, 1, 2, 1);
        Assert.Equal(new Shape(0, 4, 30), y.Shape);
    }

    private static Tensor Random(Rng rng, Shape shape)
    {
        var t = Tensor.Zeros(shape);
        rng.FillNormal(t.Data, 1f);
        return t;
    }
}
