using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Peakformer.Engine.Kernels;

/// <summary>In-register 16 x 16 float transpose with AVX-512 shuffles (4 stages, 64 shuffles).</summary>
internal static unsafe class Transpose16
{
    /// <summary>output[c][r] = input[r][c] for 16 rows of 16 floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run(Vector512<float>* input, Vector512<float>* output)
    {
        // Stage 1: interleave neighbouring rows (pairs of elements).
        var t0 = Avx512F.UnpackLow(input[0], input[1]); var t1 = Avx512F.UnpackHigh(input[0], input[1]);
        var t2 = Avx512F.UnpackLow(input[2], input[3]); var t3 = Avx512F.UnpackHigh(input[2], input[3]);
        var t4 = Avx512F.UnpackLow(input[4], input[5]); var t5 = Avx512F.UnpackHigh(input[4], input[5]);
        var t6 = Avx512F.UnpackLow(input[6], input[7]); var t7 = Avx512F.UnpackHigh(input[6], input[7]);
        var t8 = Avx512F.UnpackLow(input[8], input[9]); var t9 = Avx512F.UnpackHigh(input[8], input[9]);
        var t10 = Avx512F.UnpackLow(input[10], input[11]); var t11 = Avx512F.UnpackHigh(input[10], input[11]);
        var t12 = Avx512F.UnpackLow(input[12], input[13]); var t13 = Avx512F.UnpackHigh(input[12], input[13]);
        var t14 = Avx512F.UnpackLow(input[14], input[15]); var t15 = Avx512F.UnpackHigh(input[14], input[15]);
        // Stage 2: groups of four rows within each 128-bit lane.
        var u0 = Avx512F.Shuffle(t0, t2, 0x44); var u1 = Avx512F.Shuffle(t0, t2, 0xEE);
        var u2 = Avx512F.Shuffle(t1, t3, 0x44); var u3 = Avx512F.Shuffle(t1, t3, 0xEE);
        var u4 = Avx512F.Shuffle(t4, t6, 0x44); var u5 = Avx512F.Shuffle(t4, t6, 0xEE);
        var u6 = Avx512F.Shuffle(t5, t7, 0x44); var u7 = Avx512F.Shuffle(t5, t7, 0xEE);
        var u8 = Avx512F.Shuffle(t8, t10, 0x44); var u9 = Avx512F.Shuffle(t8, t10, 0xEE);
        var u10 = Avx512F.Shuffle(t9, t11, 0x44); var u11 = Avx512F.Shuffle(t9, t11, 0xEE);
        var u12 = Avx512F.Shuffle(t12, t14, 0x44); var u13 = Avx512F.Shuffle(t12, t14, 0xEE);
        var u14 = Avx512F.Shuffle(t13, t15, 0x44); var u15 = Avx512F.Shuffle(t13, t15, 0xEE);
        // Stage 3 and 4: move 128-bit lanes.
        var v0 = Avx512F.Shuffle4x128(u0, u4, 0x88); var v1 = Avx512F.Shuffle4x128(u1, u5, 0x88);
        var v2 = Avx512F.Shuffle4x128(u2, u6, 0x88); var v3 = Avx512F.Shuffle4x128(u3, u7, 0x88);
        var v4 = Avx512F.Shuffle4x128(u0, u4, 0xDD); var v5 = Avx512F.Shuffle4x128(u1, u5, 0xDD);
        var v6 = Avx512F.Shuffle4x128(u2, u6, 0xDD); var v7 = Avx512F.Shuffle4x128(u3, u7, 0xDD);
        var v8 = Avx512F.Shuffle4x128(u8, u12, 0x88); var v9 = Avx512F.Shuffle4x128(u9, u13, 0x88);
        var v10 = Avx512F.Shuffle4x128(u10, u14, 0x88); var v11 = Avx512F.Shuffle4x128(u11, u15, 0x88);
        var v12 = Avx512F.Shuffle4x128(u8, u12, 0xDD); var v13 = Avx512F.Shuffle4x128(u9, u13, 0xDD);
        var v14 = Avx512F.Shuffle4x128(u10, u14, 0xDD); var v15 = Avx512F.Shuffle4x128(u11, u15, 0xDD);
        output[0] = Avx512F.Shuffle4x128(v0, v8, 0x88); output[8] = Avx512F.Shuffle4x128(v0, v8, 0xDD);
        output[1] = Avx512F.Shuffle4x128(v1, v9, 0x88); output[9] = Avx512F.Shuffle4x128(v1, v9, 0xDD);
        output[2] = Avx512F.Shuffle4x128(v2, v10, 0x88); output[10] = Avx512F.Shuffle4x128(v2, v10, 0xDD);
        output[3] = Avx512F.Shuffle4x128(v3, v11, 0x88); output[11] = Avx512F.Shuffle4x128(v3, v11, 0xDD);
        output[4] = Avx512F.Shuffle4x128(v4, v12, 0x88); output[12] = Avx512F.Shuffle4x128(v4, v12, 0xDD);
        output[5] = Avx512F.Shuffle4x128(v5, v13, 0x88); output[13] = Avx512F.Shuffle4x128(v5, v13, 0xDD);
        output[6] = Avx512F.Shuffle4x128(v6, v14, 0x88); output[14] = Avx512F.Shuffle4x128(v6, v14, 0xDD);
        output[7] = Avx512F.Shuffle4x128(v7, v15, 0x88); output[15] = Avx512F.Shuffle4x128(v7, v15, 0xDD);
    }
}
