using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Kernels;

/// <summary>Each variant's layer norm (plain and fused with a residual and dropout), values and gradients, against the scalar reference.</summary>
public class LayerNormKernelTests
{
    private static (float[] Y, float[] Dx, float[] Dsub, float[] Dw, float[] Db) Run(KernelVariant variant, int rows, int cols, bool residual)
    {
        using var scope = KernelScope.Use(variant);
        var rng = new Rng((ulong)(rows * 1000 + cols));
        var x = Make.Random(rng, new Shape(rows, cols), 3f).WithGrad();
        var sub = Make.Random(rng, new Shape(rows, cols)).WithGrad();
        var w = Make.Random(rng, new Shape(cols)).WithGrad();
        var b = Make.Random(rng, new Shape(cols)).WithGrad();
        var dy = Make.Random(rng, new Shape(rows, cols));
        var tape = new Tape();
        var y = residual ? Ops.ResidualLayerNorm(tape, x, sub, 0.25f, true, new Rng(7), w, b) : Ops.LayerNorm(tape, x, w, b);
        tape.Backward(Ops.Sum(tape, Ops.Mul(tape, y, dy)));
        return (y.ToArray(), x.Grad!.ToArray(), residual ? sub.Grad!.ToArray() : [], w.Grad!.ToArray(), b.Grad!.ToArray());
    }

    private static void Close(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"{what}[{i}]: reference {expected[i]}, got {actual[i]}");
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Every_variant_matches_the_reference_on_whole_and_partial_vectors(KernelVariant variant)
    {
        foreach (int cols in new[] { 16, 17, 48, 64, 80 })
            foreach (bool residual in new[] { false, true })
            {
                var expected = Run(KernelVariant.Reference, 37, cols, residual);
                var actual = Run(variant, 37, cols, residual);
                string what = $"{variant} cols={cols} residual={residual}";
                Close(expected.Y, actual.Y, what + " y");
                Close(expected.Dx, actual.Dx, what + " dx");
                Close(expected.Dsub, actual.Dsub, what + " dsub");
                Close(expected.Dw, actual.Dw, what + " dgamma");
                Close(expected.Db, actual.Db, what + " dbeta");
            }
    }
}
