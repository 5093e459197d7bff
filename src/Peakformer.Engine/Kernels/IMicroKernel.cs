namespace Peakformer.Engine.Kernels;

/// <summary>
/// A register-blocked MR x NR tile update: C[MR, NR] (= or +=) Apanel[kc, MR]^T * Bpanel[kc, NR],
/// with both panels packed k-major (MR values of A, then NR values of B, per k).
/// </summary>
internal interface IMicroKernel
{
    static abstract int MR { get; }
    static abstract int NR { get; }
    static abstract unsafe void Run(int kc, float* a, float* b, float* c, int ldc, bool accumulate);
}
