using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Kernels;

public class ElementwiseTests
{
    private static readonly int[] Lengths = [1, 3, 7, 15, 16, 17, 65, 1000];

    private static void CompareUnary<TF>(double tolerance) where TF : IUnaryFunction
    {
        foreach (var variant in KernelSettings.Supported)
            foreach (int n in Lengths)
            {
                var x = Make.Floats(new Rng((ulong)n), n, scale: 4);
                x[0] = 30f; // large arguments must stay finite
                if (n > 1) x[1] = -30f;
                var expected = new float[n];
                var actual = new float[n];
                for (int i = 0; i < n; i++) expected[i] = TF.Invoke(x[i]);
                using (KernelScope.Use(variant)) Elementwise.Map<TF>(x, actual);
                for (int i = 0; i < n; i++)
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                        $"{typeof(TF).Name} {variant} n={n} x={x[i]}: {actual[i]} vs reference {expected[i]}");
            }
    }

    private static void CompareBinary<TF>(double tolerance) where TF : IBinaryFunction
    {
        foreach (var variant in KernelSettings.Supported)
            foreach (int n in Lengths)
            {
                var rng = new Rng((ulong)n + 100);
                var x = Make.Floats(rng, n, scale: 3);
                var y = Make.Floats(rng, n);
                var expected = new float[n];
                var actual = new float[n];
                for (int i = 0; i < n; i++) expected[i] = TF.Invoke(x[i], y[i]);
                using (KernelScope.Use(variant)) Elementwise.Map<TF>(x, y, actual);
                for (int i = 0; i < n; i++)
                    Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                        $"{typeof(TF).Name} {variant} n={n}: {actual[i]} vs reference {expected[i]}");
            }
    }

    [Fact] public void Gelu_erf_vector_forms_match_the_scalar_reference() => CompareUnary<ActivationFunctions.GeluErf>(2e-6);
    [Fact] public void Gelu_tanh_vector_forms_match_the_scalar_reference() => CompareUnary<ActivationFunctions.GeluTanh>(2e-6);
    [Fact] public void Sigmoid_vector_forms_match_the_scalar_reference() => CompareUnary<ActivationFunctions.Sigmoid>(2e-6);
    [Fact] public void Tanh_vector_forms_match_the_scalar_reference() => CompareUnary<ActivationFunctions.Tanh>(2e-6);
    [Fact] public void Relu_vector_forms_match_the_scalar_reference() => CompareUnary<ActivationFunctions.Relu>(0);
    [Fact] public void Softplus_vector_forms_match_the_scalar_reference() => CompareUnary<ActivationFunctions.Softplus>(2e-6);
    [Fact] public void Gelu_erf_backward_vector_forms_match_the_scalar_reference() => CompareBinary<ActivationFunctions.GeluErfBackward>(3e-6);
    [Fact] public void Gelu_tanh_backward_vector_forms_match_the_scalar_reference() => CompareBinary<ActivationFunctions.GeluTanhBackward>(3e-6);

    [Fact]
    public void Erf_matches_tabulated_values()
    {
        // Abramowitz and Stegun, table 7.1.
        (double x, double erf)[] table = [(0.0, 0.0), (0.1, 0.1124629160), (0.5, 0.5204998778), (1.0, 0.8427007929), (2.0, 0.9953222650), (3.0, 0.9999779095)];
        foreach (var (x, erf) in table)
        {
            Assert.InRange(SpecialFunctions.Erf(x), erf - 2e-7, erf + 2e-7);
            Assert.InRange(SpecialFunctions.Erf(-x), -erf - 2e-7, -erf + 2e-7);
        }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void SumRows_adds_every_row_into_the_sums_in_row_order(KernelVariant variant)
    {
        // Vector widths (16 to 512 columns), and widths that take the scalar loop (17, 600).
        foreach (int cols in new[] { 16, 48, 64, 192, 512, 17, 600 })
            foreach (int rows in new[] { 1, 7, 3840 / 4 })
            {
                var rng = new Rng((ulong)(cols * 10_000 + rows));
                var x = Make.Floats(rng, rows * cols);
                var start = Make.Floats(rng, cols);
                var sums = (float[])start.Clone();
                using (KernelScope.Use(variant)) Elementwise.SumRows(x, cols, sums);
                for (int c = 0; c < cols; c++)
                {
                    float total = 0f;
                    for (int r = 0; r < rows; r++) total += x[r * cols + c];
                    Assert.Equal(start[c] + total, sums[c]);
                }
            }
    }
}

public class GeluKernelTests
{
    [Fact]
    public void Saved_cdf_gelu_matches_the_scalar_reference_in_every_variant()
    {
        foreach (int n in new[] { 1, 7, 16, 17, 65, 1000 })
        {
            var rng = new Rng((ulong)n);
            var x = Make.Floats(rng, n, scale: 3);
            var dy = Make.Floats(rng, n);
            var mask = Make.Floats(rng, n);
            (float[] Y, float[] Cdf, float[] Dx) Run(KernelVariant v)
            {
                using var scope = KernelScope.Use(v);
                var y = new float[n];
                var cdf = new float[n];
                var dx = new float[n];
                GeluKernels.Forward(x, y, cdf, mask);
                GeluKernels.Backward(x, cdf, dy, mask, dx, accumulate: false);
                return (y, cdf, dx);
            }
            var reference = Run(KernelVariant.Reference);
            for (int i = 0; i < n; i++)
                Assert.Equal(ActivationFunctions.GeluErf.Invoke(x[i]) * mask[i], reference.Y[i], 6);
            foreach (var v in KernelSettings.Supported)
            {
                var r = Run(v);
                Golden.AssertClose(reference.Y, r.Y, $"{v} y n={n}", 2e-6, 2e-6);
                Golden.AssertClose(reference.Cdf, r.Cdf, $"{v} cdf n={n}", 2e-6, 2e-6);
                Golden.AssertClose(reference.Dx, r.Dx, $"{v} dx n={n}", 3e-6, 3e-6);
            }
        }
    }
}
