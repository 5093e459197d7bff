namespace Peakformer.Engine.Kernels;

/// <summary>
/// A register-blocked MR x NR tile update C[MR, NR] (= or +=) sum over kc of A[:, p] B[p, :].
/// B row p is read at b + p * bStride (a packed panel has bStride = NR; a row-major matrix, its leading dimension).
/// <see cref="Run"/> reads A column p at a + p * aStride (packed panel: aStride = MR; a transposed matrix: its
/// leading dimension); <see cref="RunRowMajorA"/> reads A row r at a + r * aStride, so a plain row-major matrix
/// needs no packing.
/// </summary>
internal interface IMicroKernel
{
    /// <summary>The variant this kernel belongs to. Gemm picks the kernel from <see cref="KernelSettings"/> (or the variant
    /// it is given); GemmPacked's helpers ask this, never the hardware, so a 256-bit GEMM runs no 512-bit code.</summary>
    static abstract KernelVariant Variant { get; }
    static abstract int MR { get; }
    static abstract int NR { get; }
    static abstract unsafe void Run(int kc, float* a, int aStride, float* b, int bStride, float* c, int ldc, bool accumulate);
    static abstract unsafe void RunRowMajorA(int kc, float* a, int aStride, float* b, int bStride, float* c, int ldc, bool accumulate);
}
