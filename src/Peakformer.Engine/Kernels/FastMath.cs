using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// exp for float vectors, about four times cheaper than Vector512.Exp and within 2 ulp of MathF.Exp:
/// x = n ln2 + r (Cody-Waite split of ln2), exp(r) by the Cephes expf polynomial on |r| ≤ ln2/2, then
/// scaled by 2^n. Arguments below -87 give exactly 0 (so masked attention scores vanish) and never a denormal:
/// denormal results cost a slow microcode assist on x86; above 88.7 the result is infinity.
/// </summary>
internal static class FastMath
{
    private const float Lowest = -87f; // exp(-87) = 1.6e-38, still a normal float
    private const float Log2E = 1.44269504088896341f;
    private const float Ln2Hi = 0.693359375f;
    private const float Ln2Lo = -2.12194440e-4f;
    private const float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f;
    private const float P3 = 4.1665795894e-2f, P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /// <summary>1/x to about 1e-7 relative: the 14-bit hardware estimate refined by one Newton step (far cheaper than vdivps).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Reciprocal(Vector512<float> x)
    {
        var r = Avx512F.Reciprocal14(x);
        return r * Avx512F.FusedMultiplyAddNegated(x, r, Vector512.Create(2f));
    }

    /// <summary>1/x to about 1e-7 relative: the 12-bit estimate refined by one Newton step.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Reciprocal(Vector256<float> x)
    {
        var r = Avx.Reciprocal(x);
        return r * Fma.MultiplyAddNegated(x, r, Vector256.Create(2f));
    }

    /// <summary>
    /// Natural log of positive normal floats, within 2 ulp of MathF.Log: x = m 2^e with m in [sqrt(1/2), sqrt(2))
    /// (AVX-512 getmant/getexp), log(m) by the Cephes logf polynomial in m - 1, plus e ln2 (split in two).
    /// Vector512.Log is exact enough but runs through a slow generic fallback on this runtime.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Log(Vector512<float> x)
    {
        var m = Avx512F.GetMantissa(x, 0);            // [1, 2)
        var e = Avx512F.GetExponent(x);
        var high = Vector512.GreaterThan(m, Vector512.Create(1.41421356f));
        m = Vector512.ConditionalSelect(high, m * Vector512.Create(0.5f), m);
        e = Vector512.ConditionalSelect(high, e + Vector512<float>.One, e);
        var f = m - Vector512<float>.One;
        var z = f * f;
        var p = Vector512.Create(7.0376836292e-2f);
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.1514610310e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.1676998740e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.2420140846e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(1.4249322787e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-1.6668057665e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(2.0000714765e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(-2.4999993993e-1f));
        p = Vector512.FusedMultiplyAdd(p, f, Vector512.Create(3.3333331174e-1f));
        var y = p * f * z;
        y = Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Lo), y);
        y = Vector512.FusedMultiplyAdd(z, Vector512.Create(-0.5f), y);
        return Vector512.FusedMultiplyAdd(e, Vector512.Create(Ln2Hi), f + y);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Exp(Vector512<float> x)
    {
        var underflow = Vector512.LessThan(x, Vector512.Create(Lowest));
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(Lowest)), Vector512.Create(88.75f));
        var n = Avx512F.RoundScale(x * Vector512.Create(Log2E), 0); // round to nearest
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Hi), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-Ln2Lo), r);
        var p = Vector512.Create(P0);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P1));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P2));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P3));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P4));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(P5));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        return Vector512.ConditionalSelect(underflow, Vector512<float>.Zero, Avx512F.Scale(p, n));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var underflow = Vector256.LessThan(x, Vector256.Create(Lowest));
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(Lowest)), Vector256.Create(88.75f));
        var n = Avx.RoundToNearestInteger(x * Vector256.Create(Log2E));
        var r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Hi), x);
        r = Vector256.FusedMultiplyAdd(n, Vector256.Create(-Ln2Lo), r);
        var p = Vector256.Create(P0);
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P1));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P2));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P3));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P4));
        p = Vector256.FusedMultiplyAdd(p, r, Vector256.Create(P5));
        p = Vector256.FusedMultiplyAdd(p, r * r, r + Vector256<float>.One);
        // 2^n as 2^n1 * 2^n2 with n1 = floor(n / 2): both factors stay normal for n in [-126, 128].
        var ni = Vector256.ConvertToInt32(n);
        var n1 = Vector256.ShiftRightArithmetic(ni, 1);
        var bias = Vector256.Create(127);
        var f1 = Vector256.ShiftLeft(n1 + bias, 23).AsSingle();
        var f2 = Vector256.ShiftLeft(ni - n1 + bias, 23).AsSingle();
        return Vector256.ConditionalSelect(underflow, Vector256<float>.Zero, p * f1 * f2);
    }

    /// <summary>1/x by division: 128-bit CPUs have no common refinable estimate (SSE rcpps and NEON frecpe differ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Reciprocal(Vector128<float> x) => Vector128<float>.One / x;

    /// <summary>As the 256-bit form, with multiply-adds fused only where the CPU has FMA (<see cref="Simd128.Fma"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x)
    {
        var underflow = Vector128.LessThan(x, Vector128.Create(Lowest));
        x = Vector128.Min(Vector128.Max(x, Vector128.Create(Lowest)), Vector128.Create(88.75f));
        var n = Vector128.Round(x * Vector128.Create(Log2E)); // to nearest, ties to even
        var r = Simd128.Fma(n, Vector128.Create(-Ln2Hi), x);
        r = Simd128.Fma(n, Vector128.Create(-Ln2Lo), r);
        var p = Vector128.Create(P0);
        p = Simd128.Fma(p, r, Vector128.Create(P1));
        p = Simd128.Fma(p, r, Vector128.Create(P2));
        p = Simd128.Fma(p, r, Vector128.Create(P3));
        p = Simd128.Fma(p, r, Vector128.Create(P4));
        p = Simd128.Fma(p, r, Vector128.Create(P5));
        p = Simd128.Fma(p, r * r, r + Vector128<float>.One);
        var ni = Vector128.ConvertToInt32(n);
        var n1 = Vector128.ShiftRightArithmetic(ni, 1);
        var bias = Vector128.Create(127);
        var f1 = Vector128.ShiftLeft(n1 + bias, 23).AsSingle();
        var f2 = Vector128.ShiftLeft(ni - n1 + bias, 23).AsSingle();
        return Vector128.ConditionalSelect(underflow, Vector128<float>.Zero, p * f1 * f2);
    }
}
