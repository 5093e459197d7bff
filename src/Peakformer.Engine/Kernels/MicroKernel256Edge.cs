using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Peakformer.Engine.Kernels;

/// <summary>AVX2/FMA 2x16 tile for the rows left over after 6-row tiles.</summary>
internal readonly struct MicroKernel256Edge : IMicroKernel
{
    public static KernelVariant Variant => KernelVariant.Vector256;
    public static int MR => 2;
    public static int NR => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, int aStride, float* b, int bStride, float* c, int ldc, bool accumulate)
    {
        var c0_0 = Vector256<float>.Zero; var c0_1 = Vector256<float>.Zero;
        var c1_0 = Vector256<float>.Zero; var c1_1 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(b + 0);
            var b1 = Avx.LoadVector256(b + 8);
            var a0 = Vector256.Create(a[0]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
            c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            var a1 = Vector256.Create(a[1]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
            c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            a += aStride;
            b += bStride;
        }
        if (accumulate)
        {
            Vector256.Store(Vector256.Load(c + 0 * ldc + 0) + c0_0, c + 0 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 0 * ldc + 8) + c0_1, c + 0 * ldc + 8);
            Vector256.Store(Vector256.Load(c + 1 * ldc + 0) + c1_0, c + 1 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 1 * ldc + 8) + c1_1, c + 1 * ldc + 8);
        }
        else
        {
            Vector256.Store(c0_0, c + 0 * ldc + 0);
            Vector256.Store(c0_1, c + 0 * ldc + 8);
            Vector256.Store(c1_0, c + 1 * ldc + 0);
            Vector256.Store(c1_1, c + 1 * ldc + 8);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunRowMajorA(int kc, float* a, int aStride, float* b, int bStride, float* c, int ldc, bool accumulate)
    {
        float* a0p = a + (long)0 * aStride;
        float* a1p = a + (long)1 * aStride;
        var c0_0 = Vector256<float>.Zero; var c0_1 = Vector256<float>.Zero;
        var c1_0 = Vector256<float>.Zero; var c1_1 = Vector256<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Avx.LoadVector256(b + 0);
            var b1 = Avx.LoadVector256(b + 8);
            var a0 = Vector256.Create(a0p[p]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
            c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            var a1 = Vector256.Create(a1p[p]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
            c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            b += bStride;
        }
        if (accumulate)
        {
            Vector256.Store(Vector256.Load(c + 0 * ldc + 0) + c0_0, c + 0 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 0 * ldc + 8) + c0_1, c + 0 * ldc + 8);
            Vector256.Store(Vector256.Load(c + 1 * ldc + 0) + c1_0, c + 1 * ldc + 0);
            Vector256.Store(Vector256.Load(c + 1 * ldc + 8) + c1_1, c + 1 * ldc + 8);
        }
        else
        {
            Vector256.Store(c0_0, c + 0 * ldc + 0);
            Vector256.Store(c0_1, c + 0 * ldc + 8);
            Vector256.Store(c1_0, c + 1 * ldc + 0);
            Vector256.Store(c1_1, c + 1 * ldc + 8);
        }
    }
}
