using FsCheck;
using FsCheck.Fluent;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tests.Support;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Tests.Kernels;

public class GemmTests
{
    private static readonly int[] OddSizes = [1, 3, 7, 15, 17, 33, 65];

    private static float MaxDifference(bool ta, bool tb, int m, int n, int k, KernelVariant variant, bool accumulate, int threads, ulong seed,
        bool bias = false)
    {
        var rng = new Rng(seed);
        var a = Make.Floats(rng, m * k);
        var b = Make.Floats(rng, k * n);
        var c0 = Make.Floats(rng, m * n);
        var rowBias = bias ? Make.Floats(rng, n) : [];
        var expected = (float[])c0.Clone();
        var actual = (float[])c0.Clone();
        int lda = ta ? m : k, ldb = tb ? k : n;
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, expected, n, accumulate, KernelVariant.Reference, bias: rowBias);
        using var pool = new WorkerPool(threads);
        Gemm.Multiply(ta, tb, m, n, k, a, lda, b, ldb, actual, n, accumulate, variant, pool, rowBias);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++)
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]) / (1f + Math.Abs(expected[i])));
        return worst;
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Every_variant_matches_the_reference_on_odd_shapes_and_transposes(KernelVariant variant)
    {
        foreach (int m in OddSizes)
            foreach (int n in OddSizes)
                foreach (int k in new[] { 1, 7, 65, 300 })
                    foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
                    {
                        float diff = MaxDifference(ta, tb, m, n, k, variant, accumulate: (m + n) % 2 == 0, threads: 2, seed: (ulong)(m * 1000 + n * 10 + k));
                        Assert.True(diff < 1e-4f, $"{variant} m={m} n={n} k={k} transA={ta} transB={tb}: relative difference {diff}");
                    }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Every_variant_matches_the_reference_where_A_is_packed(KernelVariant variant)
    {
        // At least eight B panels (or A rows 4 KB apart) make A packed; k beyond one 256-deep block, rows and
        // columns that leave partial panels.
        foreach (var (m, n, k) in new[] { (29, 300, 517), (205, 257, 300), (13, 1024, 33), (37, 40, 1024) })
            foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
                foreach (int threads in new[] { 1, 2 })
                {
                    float diff = MaxDifference(ta, tb, m, n, k, variant, accumulate: threads == 2, threads, seed: (ulong)(m + n + k));
                    Assert.True(diff < 1e-4f, $"{variant} m={m} n={n} k={k} transA={ta} transB={tb} threads={threads}: relative difference {diff}");
                }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Every_variant_adds_the_bias_to_every_row(KernelVariant variant)
    {
        // A read in place with edge and leftover rows, A packed, k of zero, one and beyond a 256-deep block.
        foreach (var (m, n, k) in new[] { (3840 / 16, 192, 64), (31, 33, 1), (29, 300, 517), (17, 7, 300), (5, 65, 0), (205, 257, 300) })
            foreach (var (ta, tb) in new[] { (false, true), (true, false) })
                foreach (bool accumulate in new[] { false, true })
                {
                    float diff = MaxDifference(ta, tb, m, n, k, variant, accumulate, threads: 1 + m % 2, seed: (ulong)(m + n + k), bias: true);
                    Assert.True(diff < 1e-4f, $"{variant} m={m} n={n} k={k} transA={ta} transB={tb} accumulate={accumulate}: relative difference {diff}");
                }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void The_bias_is_added_after_the_whole_product_as_a_separate_pass_would(KernelVariant variant)
    {
        // Linear relies on this: the fused bias gives the bits of the product followed by one addition per element.
        var rng = new Rng(8);
        foreach (var (m, n, k) in new[] { (100, 96, 64), (29, 300, 517), (13, 40, 700) })
        {
            var a = Make.Floats(rng, m * k);
            var b = Make.Floats(rng, n * k);
            var bias = Make.Floats(rng, n);
            var fused = new float[m * n];
            var separate = new float[m * n];
            Gemm.Multiply(false, true, m, n, k, a, k, b, k, fused, n, variant: variant, bias: bias);
            Gemm.Multiply(false, true, m, n, k, a, k, b, k, separate, n, variant: variant);
            for (int i = 0; i < separate.Length; i++) separate[i] += bias[i % n];
            Assert.Equal(separate, fused);
        }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void One_column_from_transposed_A_has_the_bits_of_that_column_in_a_wider_product(KernelVariant variant)
    {
        // A weight gradient with one input feature takes its own path; it must sum in the panel kernels' order.
        var rng = new Rng(4);
        foreach (var (m, k, lda) in new[] { (64, 3840, 64), (13, 300, 1024), (100, 517, 100), (3, 1, 3) })
            foreach (bool accumulate in new[] { false, true })
            {
                var a = Make.Floats(rng, k * lda);
                var b2 = Make.Floats(rng, k * 2);
                var b1 = new float[k];
                for (int p = 0; p < k; p++) b1[p] = b2[2 * p];
                var c2 = Make.Floats(rng, m * 2);
                var c1 = new float[m];
                for (int i = 0; i < m; i++) c1[i] = c2[2 * i];
                Gemm.Multiply(true, false, m, 2, k, a, lda, b2, 2, c2, 2, accumulate, variant);
                Gemm.Multiply(true, false, m, 1, k, a, lda, b1, 1, c1, 1, accumulate, variant);
                for (int i = 0; i < m; i++) Assert.Equal(c2[2 * i], c1[i]);
            }
    }

    [Fact]
    public void A_bias_of_the_wrong_length_is_an_error()
    {
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 2, new float[4], 2, new float[6], 3, new float[6], 3, bias: new float[2]));
        Assert.Contains("bias has 2 values for 3 columns", e.Message);
    }

    [Fact]
    public void Random_shapes_agree_with_the_reference_for_every_variant_and_thread_count()
    {
        var sizes = Gen.Choose(1, 140);
        var property = Prop.ForAll(sizes.ToArbitrary(), sizes.ToArbitrary(), sizes.ToArbitrary(), (m, n, k) =>
            KernelSettings.Supported.All(v =>
                MaxDifference(m % 2 == 0, n % 3 == 0, m, n, k, v, accumulate: k % 2 == 0, threads: 1 + (m + n) % 2, seed: (ulong)(m * n * k)) < 1e-4f));
        property.QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Results_do_not_depend_on_the_thread_count()
    {
        var rng = new Rng(3);
        // A read in place (few B panels), then A packed (many B panels).
        foreach (var (m, n, k) in new[] { (517, 193, 301), (205, 300, 517) })
        {
            var a = Make.Floats(rng, m * k);
            var b = Make.Floats(rng, k * n);
            var one = new float[m * n];
            var two = new float[m * n];
            using (var pool = new WorkerPool(1)) Gemm.Multiply(false, true, m, n, k, a, k, b, k, one, n, pool: pool);
            using (var pool = new WorkerPool(2)) Gemm.Multiply(false, true, m, n, k, a, k, b, k, two, n, pool: pool);
            Assert.Equal(one, two);
        }
    }

    [Fact]
    public void Zero_inner_dimension_clears_or_keeps_the_output()
    {
        var c = new float[] { 1, 2, 3, 4 };
        Gemm.Multiply(false, false, 2, 2, 0, [], 1, [], 2, c, 2, accumulate: true);
        Assert.Equal(new float[] { 1, 2, 3, 4 }, c);
        Gemm.Multiply(false, false, 2, 2, 0, [], 1, [], 2, c, 2, accumulate: false);
        Assert.Equal(new float[4], c);
    }

    [Fact]
    public void Too_small_buffers_are_reported_with_their_sizes()
    {
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 4, 4, 4, new float[15], 4, new float[16], 4, new float[16], 4));
        Assert.Contains("A is 4x4", e.Message);
        Assert.Contains("got 15", e.Message);
    }
}
