using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tests.Support;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Tests.Kernels;

/// <summary>
/// The bfloat16 product: rounding against PyTorch (tools/golden/make_bf16_golden.py) and closed form, every tier
/// against the plain loops of GemmBf16Reference, and products of bf16-exact inputs against exact sums.
/// </summary>
public class GemmBf16Tests
{
    private static float[] Bf16(float[] values) => values.Select(BFloat16.Round).ToArray();

    private static float[] Product(bool ta, bool tb, int m, int n, int k, float[] a, float[] b, float[] c0, KernelVariant variant,
        bool accumulate, int threads, float[]? bias = null, MatrixPrecision precision = MatrixPrecision.Bf16)
    {
        var c = (float[])c0.Clone();
        using var pool = new WorkerPool(threads);
        Gemm.Multiply(ta, tb, m, n, k, a, ta ? m : k, b, tb ? k : n, c, n, accumulate, variant, pool, bias ?? [], precision);
        return c;
    }

    [Fact]
    public void Rounding_matches_PyTorch_bit_for_bit()
    {
        var golden = Golden.Load("bf16");
        var x = golden.Values("in.x");
        var expected = golden.Values("out.x");
        for (int i = 0; i < x.Length; i++)
            Assert.True(BitConverter.SingleToUInt32Bits(BFloat16.Round(x[i])) == BitConverter.SingleToUInt32Bits(expected[i]),
                $"{x[i]:G9} (0x{BitConverter.SingleToUInt32Bits(x[i]):X8}) rounds to {BFloat16.Round(x[i]):G9}, PyTorch gives {expected[i]:G9}");
    }

    [Fact]
    public void Rounding_ties_to_even_and_keeps_NaN()
    {
        Assert.Equal((ushort)0x3F80, BFloat16.FromFloat(1f + MathF.Pow(2, -8)));       // halfway, even below
        Assert.Equal((ushort)0x3F82, BFloat16.FromFloat(1f + 3 * MathF.Pow(2, -8)));   // halfway, even above
        Assert.Equal((ushort)0x3F81, BFloat16.FromFloat(1f + 5 * MathF.Pow(2, -9)));   // above halfway
        Assert.Equal((ushort)0x7F80, BFloat16.FromFloat(float.MaxValue));               // beyond the largest bf16: infinity
        Assert.Equal(1f, BFloat16.ToFloat(0x3F80));
        // A NaN whose payload would carry into the exponent stays NaN; a signalling NaN comes out quiet.
        foreach (uint bits in new uint[] { 0x7FFFFFFF, 0x7F800001, 0xFFC00000, 0x7FC00000 })
        {
            ushort b = BFloat16.FromFloat(BitConverter.UInt32BitsToSingle(bits));
            Assert.True(float.IsNaN(BFloat16.ToFloat(b)), $"0x{bits:X8} gives 0x{b:X4}");
            Assert.Equal(bits >> 31, (uint)b >> 15);
        }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Every_variant_matches_the_reference_bit_for_bit(KernelVariant variant)
    {
        // Odd shapes (partial panels), k beyond one 256-deep slice, transposes, accumulation, bias, one and two threads.
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 33, 65), (17, 15, 300), (29, 300, 517), (64, 130, 257), (5, 65, 0) })
            foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
                foreach (int threads in new[] { 1, 2 })
                {
                    var rng = new Rng((ulong)(m * 1000 + n * 10 + k));
                    var a = Make.Floats(rng, m * k);
                    var b = Make.Floats(rng, k * n);
                    var c0 = Make.Floats(rng, m * n);
                    var bias = threads == 2 ? Make.Floats(rng, n) : null;
                    bool accumulate = (m + n + threads) % 2 == 0;
                    var expected = Product(ta, tb, m, n, k, a, b, c0, KernelVariant.Reference, accumulate, 1, bias);
                    var actual = Product(ta, tb, m, n, k, a, b, c0, variant, accumulate, threads, bias);
                    for (int i = 0; i < expected.Length; i++)
                    {
                        // Bit for bit where multiply-adds fuse; an SSE-only CPU rounds twice in its 128-bit tier.
                        bool same = Simd128.HasFma ? expected[i] == actual[i] : Math.Abs(expected[i] - actual[i]) <= 1e-4f * (1 + Math.Abs(expected[i]));
                        Assert.True(same, $"{variant} m={m} n={n} k={k} transA={ta} transB={tb} threads={threads}: C[{i}] is {actual[i]:G9}, the reference {expected[i]:G9}");
                    }
                }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Products_of_bf16_exact_inputs_are_the_exact_sums(KernelVariant variant)
    {
        // Quarters of integers in [-16, 16] are bf16-exact; every partial sum (at most 300 * 256 in steps of 1/16) is exact
        // in float32, so the bf16 product, the float32 product and the exact sum agree.
        int m = 19, n = 70, k = 300;
        var rng = new Rng(7);
        float Quarter() => (rng.NextInt(33) - 16) / 4f;
        var a = Enumerable.Range(0, m * k).Select(_ => Quarter()).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => Quarter()).ToArray();
        var zero = new float[m * n];
        var bf16 = Product(false, false, m, n, k, a, b, zero, variant, false, 2);
        var fp32 = Product(false, false, m, n, k, a, b, zero, variant, false, 2, precision: MatrixPrecision.Fp32);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double exact = 0;
                for (int p = 0; p < k; p++) exact += (double)a[i * k + p] * b[p * n + j];
                Assert.Equal(exact, bf16[i * n + j]);
                Assert.Equal(exact, fp32[i * n + j]);
            }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void The_product_matches_PyTorch_on_bf16_operands(KernelVariant variant)
    {
        var golden = Golden.Load("bf16");
        var a = golden.Values("in.a");
        var b = golden.Values("in.b");
        var c = Product(false, false, 37, 45, 300, a, b, new float[37 * 45], variant, false, 2);
        // The float32 sum of 300 products of about 1 against the exact one: a few float32 ulps of the terms' size.
        Golden.AssertClose(golden.Values("out.c"), c, $"{variant} bf16 product", rtol: 1e-5, atol: 2e-5);
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void A_NaN_operand_gives_NaN_in_its_row_and_column_only(KernelVariant variant)
    {
        // B of 64 columns is packed whole (the vector rounding) and A in panels: the NaN survives both.
        int m = 9, n = 64, k = 20;
        var rng = new Rng(3);
        var a = Make.Floats(rng, m * k);
        var b = Make.Floats(rng, k * n);
        b[5 * n + 40] = BitConverter.UInt32BitsToSingle(0x7FFFFFFF);
        a[2 * k + 7] = float.NaN;
        var c = Product(false, false, m, n, k, a, b, new float[m * n], variant, false, 1);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(i == 2 || j == 40, float.IsNaN(c[i * n + j]));
    }

    [Fact]
    public void The_bf16_product_differs_from_float32_by_bf16_rounding_only()
    {
        // Operands rounded by hand and multiplied in float32 give the bf16 product's values; the unrounded float32
        // product differs at the size of bf16's 2^-9 relative rounding, not more.
        int m = 12, n = 40, k = 64;
        var rng = new Rng(11);
        var a = Make.Floats(rng, m * k);
        var b = Make.Floats(rng, k * n);
        var zero = new float[m * n];
        var bf16 = Product(false, false, m, n, k, a, b, zero, KernelSettings.Best, false, 1);
        var rounded = Product(false, false, m, n, k, Bf16(a), Bf16(b), zero, KernelSettings.Best, false, 1, precision: MatrixPrecision.Fp32);
        var fp32 = Product(false, false, m, n, k, a, b, zero, KernelSettings.Best, false, 1, precision: MatrixPrecision.Fp32);
        Golden.AssertClose(rounded, bf16, "bf16 against float32 on rounded operands", rtol: 1e-5, atol: 1e-5);
        double worst = fp32.Zip(bf16, (x, y) => Math.Abs(x - y)).Max();
        Assert.InRange(worst, 1e-4, 0.1);
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Conv1d_under_bf16_is_the_reference_convolution_of_rounded_operands(KernelVariant variant)
    {
        // The spectrum CNN's block shape (kernel 7, same padding); the reference sums in double.
        int batch = 3, cin = 4, length = 90, cout = 16, kernel = 7;
        var rng = new Rng(5);
        var x = Tensor.Zeros(new Shape(batch, cin, length));
        var w = Tensor.Zeros(new Shape(cout, cin, kernel));
        var b = Tensor.Zeros(new Shape(cout));
        rng.FillNormal(x.Data, 1f);
        rng.FillNormal(w.Data, 1f);
        rng.FillNormal(b.Data, 1f);
        var before = KernelSettings.Precision;
        Tensor y;
        using (KernelScope.Use(variant))
        {
            KernelSettings.Precision = MatrixPrecision.Bf16;
            try
            {
                y = Ops.Conv1d(new Tape(), x, w, b, padding: 3);
            }
            finally
            {
                KernelSettings.Precision = before;
            }
        }
        var rounded = new float[y.Size];
        Conv1dReference.Forward(Bf16(x.Data.ToArray()), Bf16(w.Data.ToArray()), b.Data, rounded, batch, cin, length, cout, kernel, 1, 3, 1);
        var exact = new float[y.Size];
        Conv1dReference.Forward(x.Data, w.Data, b.Data, exact, batch, cin, length, cout, kernel, 1, 3, 1);
        Golden.AssertClose(rounded, y.Data, $"{variant} bf16 conv1d", rtol: 1e-5, atol: 1e-5);
        // And it did round: the float32 convolution is further away than float32 sums could explain.
        Assert.True(exact.Zip(y.Data.ToArray(), (e, a) => Math.Abs(e - a)).Max() > 1e-3);
    }

    [Fact]
    public async Task Precision_is_read_from_the_flow_of_execution_and_parsed()
    {
        Assert.Equal(MatrixPrecision.Fp32, KernelSettings.Precision);
        Assert.Equal(MatrixPrecision.Bf16, KernelSettings.ParsePrecision("BF16"));
        Assert.Equal(MatrixPrecision.Fp32, KernelSettings.ParsePrecision("fp32"));
        Assert.Throws<ArgumentException>(() => KernelSettings.ParsePrecision("fp16"));
        var task = Task.Run(() =>
        {
            KernelSettings.Precision = MatrixPrecision.Bf16;
            return KernelSettings.Precision;
        });
        Assert.Equal(MatrixPrecision.Bf16, await task);
        Assert.Equal(MatrixPrecision.Fp32, KernelSettings.Precision);
    }
}
