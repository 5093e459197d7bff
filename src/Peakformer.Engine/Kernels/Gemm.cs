using System.Runtime.Intrinsics;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Single-precision matrix multiply C (= or +=) op(A) * op(B) (+ bias on every row), row-major, with op = transpose
/// when asked. A is m x k (k x m when transposed), B is k x n (n x k when transposed), C is m x n, the bias n long.
/// With <see cref="MatrixPrecision.Bf16"/> (the argument, else <see cref="KernelSettings.Precision"/>) the operands are
/// rounded to bfloat16 and the products summed in float32 (<see cref="GemmBf16{TLanes, TV}"/>).
/// </summary>
public static class Gemm
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc,
        bool accumulate = false, KernelVariant? variant = null, WorkerPool? pool = null, ReadOnlySpan<float> bias = default,
        MatrixPrecision? precision = null)
    {
        Check(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (!bias.IsEmpty && bias.Length != n) throw new ArgumentException($"Gemm: the bias has {bias.Length} values for {n} columns.");
        if ((precision ?? KernelSettings.Precision) == MatrixPrecision.Bf16)
        {
            MultiplyBf16(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, variant ?? KernelSettings.Variant, pool, bias);
            return;
        }
        switch (variant ?? KernelSettings.Variant)
        {
            case KernelVariant.Reference:
                GemmReference.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias);
                break;
            case KernelVariant.Vector128:
                Packed<MicroKernel128, MicroKernel128Edge>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, pool, bias);
                break;
            case KernelVariant.Vector256:
                Packed<MicroKernel256, MicroKernel256Edge>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, pool, bias);
                break;
            default:
                Packed<MicroKernel512, MicroKernel512Edge>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, pool, bias);
                break;
        }
    }

    private static unsafe void MultiplyBf16(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, KernelVariant variant,
        WorkerPool? pool, ReadOnlySpan<float> bias)
    {
        if (variant == KernelVariant.Reference)
        {
            GemmBf16Reference.Multiply(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, bias);
            return;
        }
        var workers = pool ?? WorkerPool.Shared;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* pbias = bias)
            switch (variant)
            {
                case KernelVariant.Vector128:
                    GemmBf16<Bf16Lanes128, Vector128<float>>.Multiply(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, workers, pbias);
                    break;
                case KernelVariant.Vector256:
                    GemmBf16<Bf16Lanes256, Vector256<float>>.Multiply(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, workers, pbias);
                    break;
                default:
                    GemmBf16<Bf16Lanes512, Vector512<float>>.Multiply(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, workers, pbias);
                    break;
            }
    }

    private static unsafe void Packed<TKernel, TEdge>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate, WorkerPool? pool,
        ReadOnlySpan<float> bias)
        where TKernel : struct, IMicroKernel
        where TEdge : struct, IMicroKernel
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (float* pbias = bias)
            GemmPacked<TKernel, TEdge>.Multiply(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, pool ?? WorkerPool.Shared, pbias);
    }

    private static void Check(bool transA, bool transB, int m, int n, int k, int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"Gemm: negative size m={m} n={n} k={k}.");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        Need("A", aRows, aCols, lda, aLength);
        Need("B", bRows, bCols, ldb, bLength);
        Need("C", m, n, ldc, cLength);
    }

    private static void Need(string name, int rows, int cols, int ld, int length)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"Gemm: leading dimension of {name} is {ld}, smaller than its {cols} columns.");
        long needed = (long)(rows - 1) * ld + cols;
        if (needed > length) throw new ArgumentException($"Gemm: {name} is {rows}x{cols} with leading dimension {ld} and needs {needed} floats, got {length}.");
    }
}
