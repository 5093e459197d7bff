namespace Peakformer.Engine.Kernels;

/// <summary>The obviously-correct matrix multiply that every fast path is tested against.</summary>
internal static class GemmReference
{
    // C[m,n] (= or +=) sum_p opA[i,p] * opB[p,j] (+ bias[j]); opA[i,p] = transA ? A[p*lda+i] : A[i*lda+p]; likewise opB.
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate,
        ReadOnlySpan<float> bias = default)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float x = transA ? a[p * lda + i] : a[i * lda + p];
                    float y = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += x * y;
                }
                float value = accumulate ? c[i * ldc + j] + sum : sum;
                c[i * ldc + j] = bias.IsEmpty ? value : value + bias[j];
            }
        }
    }
}
