using Peakformer.Engine.Kernels;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Kernels;

/// <summary>
/// The variant forced with KernelSettings (PEAKFORMER_KERNELS) is the one that runs, whatever the CPU offers:
/// kernels without a body of the forced width fall back to their reference, and a 256-bit GEMM runs no 512-bit helper.
/// </summary>
public class KernelDispatchTests
{
    public static TheoryData<KernelVariant> Variants() => KernelScope.Variants();

    /// <summary>Adam's update written out element by element, in the order of the optimiser's scalar loop.</summary>
    private static void ReferenceAdam(float[] p, float[] g, float[] m, float[] v, int step, float lr, float beta1, float beta2, float eps, float l2)
    {
        float bc1 = 1f - MathF.Pow(beta1, step);
        float bc2Sqrt = MathF.Sqrt(1f - MathF.Pow(beta2, step));
        float stepSize = lr / bc1;
        for (int i = 0; i < p.Length; i++)
        {
            float gi = g[i] + l2 * p[i];
            m[i] = beta1 * m[i] + (1f - beta1) * gi;
            v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
            p[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / bc2Sqrt + eps);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Adam_gives_the_reference_bits_under_every_variant(KernelVariant variant)
    {
        using var scope = KernelScope.Use(variant);
        var parameters = new ParameterSet(new Linear(5, 13, new Rng(1)));   // 78 values: 4 vectors of 16 and a tail
        var adam = new Adam(parameters, learningRate: 1e-2f, weightDecay: 0.01f);
        var p = parameters.Values.ToArray();
        var m = new float[p.Length];
        var v = new float[p.Length];
        var rng = new Rng(2);
        for (int step = 1; step <= 3; step++)
        {
            var g = Make.Floats(rng, p.Length);
            g.CopyTo(parameters.Grads);
            adam.Step();
            ReferenceAdam(p, g, m, v, step, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.01f);
            Assert.Equal(p, parameters.Values.ToArray());
        }
        Assert.Equal(m, adam.State["exp_avg"]);
        Assert.Equal(v, adam.State["exp_avg_sq"]);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void FillNormal_runs_the_scalar_reference_unless_vector512_is_in_force(KernelVariant variant)
    {
        using var scope = KernelScope.Use(variant);
        var filled = new float[100];
        new Rng(5).FillNormal(filled, 2f);
        var reference = new Rng(5);
        var expected = Enumerable.Range(0, filled.Length).Select(_ => (float)(2f * reference.NextNormal())).ToArray();
        // The 512-bit body draws 24-bit uniforms and uses vector log and sin/cos: other values from the same seed.
        if (variant == KernelVariant.Vector512) Assert.NotEqual(expected, filled);
        else Assert.Equal(expected, filled);
    }

    [Fact]
    public void Gemm_helpers_follow_the_kernel_they_serve_not_the_hardware()
    {
        Assert.False(GemmPacked<MicroKernel256, MicroKernel256Edge>.Wide);
        Assert.True(GemmPacked<MicroKernel512, MicroKernel512Edge>.Wide);
        Assert.False(GemmPacked<MicroKernel128, MicroKernel128Edge>.Wide);
        Assert.True(GemmPacked<MicroKernel128, MicroKernel128Edge>.Narrow);
        Assert.False(GemmPacked<MicroKernel256, MicroKernel256Edge>.Narrow);
    }

    [Fact]
    public void One_column_under_vector128_follows_the_kernel_order_fused_only_where_the_CPU_has_FMA_tail_included()
    {
        if (!KernelSettings.IsSupported(KernelVariant.Vector128)) return;
        var rng = new Rng(8);
        int m = 37, k = 300;   // rows 0-35 in 128-bit vectors, row 36 in the scalar tail: the same rounding
        var a = Make.Floats(rng, k * m);
        var b = Make.Floats(rng, k);
        var c = new float[m];
        using (KernelScope.Use(KernelVariant.Vector128))
            Gemm.Multiply(true, false, m, 1, k, a, m, b, 1, c, 1);
        bool fused = System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported;
        for (int x = 0; x < m; x++)
        {
            float expected = 0;
            for (int k0 = 0; k0 < k; k0 += 256)
            {
                float sum = 0;
                for (int p = k0; p < Math.Min(k, k0 + 256); p++)
                    sum = fused ? MathF.FusedMultiplyAdd(a[p * m + x], b[p], sum) : a[p * m + x] * b[p] + sum;
                expected = k0 == 0 ? sum : expected + sum;
            }
            Assert.Equal(expected, c[x]);
        }
    }

    [Fact]
    public void Gemm_under_a_forced_vector256_matches_its_256_bit_path_and_the_kernel_order()
    {
        if (!KernelSettings.IsSupported(KernelVariant.Vector256)) return;
        // One column of C from transposed A (the path that had a 512-bit loop of its own), then a bias on a wide C.
        var rng = new Rng(7);
        int m = 37, k = 300;
        var a = Make.Floats(rng, k * m);
        var b = Make.Floats(rng, k);
        var bias = Make.Floats(rng, 1);
        var forced = new float[m];
        var explicitly = new float[m];
        using (KernelScope.Use(KernelVariant.Vector256))
            Gemm.Multiply(true, false, m, 1, k, a, m, b, 1, forced, 1, bias: bias);
        Gemm.Multiply(true, false, m, 1, k, a, m, b, 1, explicitly, 1, variant: KernelVariant.Vector256, bias: bias);
        Assert.Equal(explicitly, forced);
        // The documented order: FMA chains over KC = 256 deep slices, each from zero, added into C, then the bias.
        for (int x = 0; x < m; x++)
        {
            float c = 0;
            for (int k0 = 0; k0 < k; k0 += 256)
            {
                float sum = 0;
                for (int p = k0; p < Math.Min(k, k0 + 256); p++) sum = MathF.FusedMultiplyAdd(a[p * m + x], b[p], sum);
                c = k0 == 0 ? sum : c + sum;
            }
            Assert.Equal(c + bias[0], forced[x]);
        }

        int n = 70;
        var wideA = Make.Floats(rng, 24 * 40);
        var wideB = Make.Floats(rng, 40 * n);
        var wideBias = Make.Floats(rng, n);
        var wideForced = new float[24 * n];
        var wideExplicit = new float[24 * n];
        using (KernelScope.Use(KernelVariant.Vector256))
            Gemm.Multiply(false, false, 24, n, 40, wideA, 40, wideB, n, wideForced, n, bias: wideBias);
        Gemm.Multiply(false, false, 24, n, 40, wideA, 40, wideB, n, wideExplicit, n, variant: KernelVariant.Vector256, bias: wideBias);
        Assert.Equal(wideExplicit, wideForced);
    }
}
