using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>SSE/NEON 6x8 tile: 12 xmm accumulators, two B vectors and one broadcast fit the 16 registers of x86 SSE (NEON has 32).</summary>
internal readonly struct MicroKernel128 : IMicroKernel
{
    public static KernelVariant Variant => KernelVariant.Vector128;
    public static int MR => 6;
    public static int NR => 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, int aStride, float* b, int bStride, float* c, int ldc, bool accumulate)
    {
        var c0_0 = Vector128<float>.Zero; var c0_1 = Vector128<float>.Zero;
        var c1_0 = Vector128<float>.Zero; var c1_1 = Vector128<float>.Zero;
        var c2_0 = Vector128<float>.Zero; var c2_1 = Vector128<float>.Zero;
        var c3_0 = Vector128<float>.Zero; var c3_1 = Vector128<float>.Zero;
        var c4_0 = Vector128<float>.Zero; var c4_1 = Vector128<float>.Zero;
        var c5_0 = Vector128<float>.Zero; var c5_1 = Vector128<float>.Zero;
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
            var a2 = Vector128.Create(a[2]);
            c2_0 = Simd128.Fma(a2, b0, c2_0);
            c2_1 = Simd128.Fma(a2, b1, c2_1);
            var a3 = Vector128.Create(a[3]);
            c3_0 = Simd128.Fma(a3, b0, c3_0);
            c3_1 = Simd128.Fma(a3, b1, c3_1);
            var a4 = Vector128.Create(a[4]);
            c4_0 = Simd128.Fma(a4, b0, c4_0);
            c4_1 = Simd128.Fma(a4, b1, c4_1);
            var a5 = Vector128.Create(a[5]);
            c5_0 = Simd128.Fma(a5, b0, c5_0);
            c5_1 = Simd128.Fma(a5, b1, c5_1);
            a += aStride;
            b += bStride;
        }
        if (accumulate)
        {
            Vector128.Store(Vector128.Load(c + 0 * ldc + 0) + c0_0, c + 0 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 0 * ldc + 4) + c0_1, c + 0 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 0) + c1_0, c + 1 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 4) + c1_1, c + 1 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 2 * ldc + 0) + c2_0, c + 2 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 2 * ldc + 4) + c2_1, c + 2 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 3 * ldc + 0) + c3_0, c + 3 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 3 * ldc + 4) + c3_1, c + 3 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 4 * ldc + 0) + c4_0, c + 4 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 4 * ldc + 4) + c4_1, c + 4 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 5 * ldc + 0) + c5_0, c + 5 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 5 * ldc + 4) + c5_1, c + 5 * ldc + 4);
        }
        else
        {
            Vector128.Store(c0_0, c + 0 * ldc + 0);
            Vector128.Store(c0_1, c + 0 * ldc + 4);
            Vector128.Store(c1_0, c + 1 * ldc + 0);
            Vector128.Store(c1_1, c + 1 * ldc + 4);
            Vector128.Store(c2_0, c + 2 * ldc + 0);
            Vector128.Store(c2_1, c + 2 * ldc + 4);
            Vector128.Store(c3_0, c + 3 * ldc + 0);
            Vector128.Store(c3_1, c + 3 * ldc + 4);
            Vector128.Store(c4_0, c + 4 * ldc + 0);
            Vector128.Store(c4_1, c + 4 * ldc + 4);
            Vector128.Store(c5_0, c + 5 * ldc + 0);
            Vector128.Store(c5_1, c + 5 * ldc + 4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void RunRowMajorA(int kc, float* a, int aStride, float* b, int bStride, float* c, int ldc, bool accumulate)
    {
        float* a0p = a + (long)0 * aStride;
        float* a1p = a + (long)1 * aStride;
        float* a2p = a + (long)2 * aStride;
        float* a3p = a + (long)3 * aStride;
        float* a4p = a + (long)4 * aStride;
        float* a5p = a + (long)5 * aStride;
        var c0_0 = Vector128<float>.Zero; var c0_1 = Vector128<float>.Zero;
        var c1_0 = Vector128<float>.Zero; var c1_1 = Vector128<float>.Zero;
        var c2_0 = Vector128<float>.Zero; var c2_1 = Vector128<float>.Zero;
        var c3_0 = Vector128<float>.Zero; var c3_1 = Vector128<float>.Zero;
        var c4_0 = Vector128<float>.Zero; var c4_1 = Vector128<float>.Zero;
        var c5_0 = Vector128<float>.Zero; var c5_1 = Vector128<float>.Zero;
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
            var a2 = Vector128.Create(a2p[p]);
            c2_0 = Simd128.Fma(a2, b0, c2_0);
            c2_1 = Simd128.Fma(a2, b1, c2_1);
            var a3 = Vector128.Create(a3p[p]);
            c3_0 = Simd128.Fma(a3, b0, c3_0);
            c3_1 = Simd128.Fma(a3, b1, c3_1);
            var a4 = Vector128.Create(a4p[p]);
            c4_0 = Simd128.Fma(a4, b0, c4_0);
            c4_1 = Simd128.Fma(a4, b1, c4_1);
            var a5 = Vector128.Create(a5p[p]);
            c5_0 = Simd128.Fma(a5, b0, c5_0);
            c5_1 = Simd128.Fma(a5, b1, c5_1);
            b += bStride;
        }
        if (accumulate)
        {
            Vector128.Store(Vector128.Load(c + 0 * ldc + 0) + c0_0, c + 0 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 0 * ldc + 4) + c0_1, c + 0 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 0) + c1_0, c + 1 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 1 * ldc + 4) + c1_1, c + 1 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 2 * ldc + 0) + c2_0, c + 2 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 2 * ldc + 4) + c2_1, c + 2 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 3 * ldc + 0) + c3_0, c + 3 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 3 * ldc + 4) + c3_1, c + 3 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 4 * ldc + 0) + c4_0, c + 4 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 4 * ldc + 4) + c4_1, c + 4 * ldc + 4);
            Vector128.Store(Vector128.Load(c + 5 * ldc + 0) + c5_0, c + 5 * ldc + 0);
            Vector128.Store(Vector128.Load(c + 5 * ldc + 4) + c5_1, c + 5 * ldc + 4);
        }
        else
        {
            Vector128.Store(c0_0, c + 0 * ldc + 0);
            Vector128.Store(c0_1, c + 0 * ldc + 4);
            Vector128.Store(c1_0, c + 1 * ldc + 0);
            Vector128.Store(c1_1, c + 1 * ldc + 4);
            Vector128.Store(c2_0, c + 2 * ldc + 0);
            Vector128.Store(c2_1, c + 2 * ldc + 4);
            Vector128.Store(c3_0, c + 3 * ldc + 0);
            Vector128.Store(c3_1, c + 3 * ldc + 4);
            Vector128.Store(c4_0, c + 4 * ldc + 0);
            Vector128.Store(c4_1, c + 4 * ldc + 4);
            Vector128.Store(c5_0, c + 5 * ldc + 0);
            Vector128.Store(c5_1, c + 5 * ldc + 4);
        }
    }
}
