namespace Peakformer.Engine.Kernels;

/// <summary>
/// The plain loops of the bfloat16 product that <see cref="GemmBf16{TLanes, TV}"/> is tested against: both operands
/// rounded to bfloat16, products summed by float32 fused multiply-adds in the fast kernel's order (KC-deep slices,
/// each summed from zero and then added into C; the bias after the last slice), so the two agree bit for bit on a CPU
/// with FMA.
/// </summary>
internal static class GemmBf16Reference
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate,
        ReadOnlySpan<float> bias = default)
    {
        int kc = GemmBf16Blocking.KC;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float value = c[i * ldc + j];
                for (int k0 = 0; k0 < k; k0 += kc)
                {
                    float sum = 0f;
                    for (int p = k0; p < Math.Min(k, k0 + kc); p++)
                    {
                        float x = BFloat16.Round(transA ? a[p * lda + i] : a[i * lda + p]);
                        float y = BFloat16.Round(transB ? b[j * ldb + p] : b[p * ldb + j]);
                        sum = MathF.FusedMultiplyAdd(x, y, sum);
                    }
                    value = accumulate || k0 > 0 ? value + sum : sum;
                }
                if (k == 0 && !accumulate) value = 0f;
                c[i * ldc + j] = bias.IsEmpty ? value : value + bias[j];
            }
    }
}
