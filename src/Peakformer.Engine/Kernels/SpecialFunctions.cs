using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// erf for GELU. .NET has no Math.Erf; this is the Chebyshev fit of erfc from Numerical Recipes
/// (Press et al., 3rd ed., section 6.2.2), fractional error below 1.2e-7 everywhere.
/// </summary>
internal static class SpecialFunctions
{
    public static double Erf(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double erfc = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
            + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? 1.0 - erfc : erfc - 1.0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Erf(Vector512<float> x)
    {
        var z = Vector512.Abs(x);
        var t = FastMath.Reciprocal(Vector512<float>.One + Vector512.Create(0.5f) * z);
        var poly = Vector512.Create(0.17087277f);
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(-0.82215223f));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(1.48851587f));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(-1.13520398f));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(0.27886807f));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(-0.18628806f));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(0.09678418f));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(0.37409196f));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(1.00002368f));
        poly = Vector512.FusedMultiplyAdd(poly, t, Vector512.Create(-1.26551223f));
        var erfc = t * FastMath.Exp(poly - z * z);
        var one = Vector512<float>.One;
        return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), one - erfc, erfc - one);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Erf(Vector256<float> x)
    {
        var z = Vector256.Abs(x);
        var t = FastMath.Reciprocal(Vector256<float>.One + Vector256.Create(0.5f) * z);
        var poly = Vector256.Create(0.17087277f);
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(-0.82215223f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(1.48851587f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(-1.13520398f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(0.27886807f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(-0.18628806f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(0.09678418f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(0.37409196f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(1.00002368f));
        poly = Vector256.FusedMultiplyAdd(poly, t, Vector256.Create(-1.26551223f));
        var erfc = t * FastMath.Exp(poly - z * z);
        var one = Vector256<float>.One;
        return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), one - erfc, erfc - one);
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Erf(Vector128<float> x)
    {
        var z = Vector128.Abs(x);
        var t = FastMath.Reciprocal(Vector128<float>.One + Vector128.Create(0.5f) * z);
        var poly = Vector128.Create(0.17087277f);
        poly = Simd128.Fma(poly, t, Vector128.Create(-0.82215223f));
        poly = Simd128.Fma(poly, t, Vector128.Create(1.48851587f));
        poly = Simd128.Fma(poly, t, Vector128.Create(-1.13520398f));
        poly = Simd128.Fma(poly, t, Vector128.Create(0.27886807f));
        poly = Simd128.Fma(poly, t, Vector128.Create(-0.18628806f));
        poly = Simd128.Fma(poly, t, Vector128.Create(0.09678418f));
        poly = Simd128.Fma(poly, t, Vector128.Create(0.37409196f));
        poly = Simd128.Fma(poly, t, Vector128.Create(1.00002368f));
        poly = Simd128.Fma(poly, t, Vector128.Create(-1.26551223f));
        var erfc = t * FastMath.Exp(poly - z * z);
        var one = Vector128<float>.One;
        return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), one - erfc, erfc - one);
    }
}
