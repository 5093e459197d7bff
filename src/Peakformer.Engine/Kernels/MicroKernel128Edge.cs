using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>SSE/NEON 2x8 tile for the rows left over after 6-row tiles.</summary>
internal readonly struct MicroKernel128Edge : IMicroKernel
{
    public static KernelVariant Variant => KernelVariant.Vector128;
    public static int MR => 2;
    public static int NR => 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, int aStride, float* b, int bStride, float* c, int ldc, bool accumulate)
    {
        var c0_0 = Vector128<float>.Zero; var c0_1 = Vector128<float>.Zero;
        var c1_0 = Vector128<float>.Zero; var c1_1 = Vector128<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b + 0);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a[0]);
            c0_0 = Simd128.Fma(a0, b0, c0_0);
            c0_1 = Simd128.Fma(a0, b1, c0_1);
            var a1 = Vector128.Create(a[1]);
            c1_0 = Simd128.Fma(a1, b0, c1_0);
            c1_1 = Simd128.Fma(a1, b1, c1_1);
            a += aStride;
            b += bStride;
        }
        if (accumulate)
        {
            Vector128.Store(Vector128.Load(c + 0 * ldc + 0) + c0_0, c + 0 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 0 * ldc + 4) + c0_1, c + 0 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 0) + c1_0, c + 1 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 4) + c1_1, c + 1 * ldc + 4);
        }
        else
        {
            Vector128.Store(c0_0, c + 0 * ldc + 0);
            Vector128.Store(c0_1, c + 0 * ldc + 4);
            Vector128.Store(c1_0, c + 1 * ldc + 0);
            Vector128.Store(c1_1, c + 1 * ldc + 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunRowMajorA(int kc, float* a, int aStride, float* b, int bStride, float* c, int ldc, bool accumulate)
    {
        float* a0p = a + (long)0 * aStride;
        float* a1p = a + (long)1 * aStride;
        var c0_0 = Vector128<float>.Zero; var c0_1 = Vector128<float>.Zero;
        var c1_0 = Vector128<float>.Zero; var c1_1 = Vector128<float>.Zero;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b + 0);
            var b1 = Vector128.Load(b + 4);
            var a0 = Vector128.Create(a0p[p]);
            c0_0 = Simd128.Fma(a0, b0, c0_0);
            c0_1 = Simd128.Fma(a0, b1, c0_1);
            var a1 = Vector128.Create(a1p[p]);
            c1_0 = Simd128.Fma(a1, b0, c1_0);
            c1_1 = Simd128.Fma(a1, b1, c1_1);
            b += bStride;
        }
        if (accumulate)
        {
            Vector128.Store(Vector128.Load(c + 0 * ldc + 0) + c0_0, c + 0 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 0 * ldc + 4) + c0_1, c + 0 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 0) + c1_0, c + 1 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 4) + c1_1, c + 1 * ldc + 4);
        }
        else
        {
            Vector128.Store(c0_0, c + 0 * ldc + 0);
            Vector128.Store(c0_1, c + 0 * ldc + 4);
            Vector128.Store(c1_0, c + 1 * ldc + 0);
            Vector128.Store(c1_1, c + 1 * ldc + 4);
        }
    }
}
