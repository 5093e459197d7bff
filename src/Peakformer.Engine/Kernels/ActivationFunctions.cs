using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>Activation functions and their derivatives (Binary forms take x and the output gradient dy).</summary>
internal static class ActivationFunctions
{
    internal const float InvSqrt2 = 0.70710678118654752f;
    private const float InvSqrt2Pi = 0.39894228040143268f;
    internal const float SqrtTwoOverPi = 0.79788456080286536f;
    internal const float TanhCubic = 0.044715f;

    /// <summary>GELU, exact form: x * Phi(x), Phi(x) = 0.5 (1 + erf(x / sqrt 2)) rounded to float in every form.</summary>
    public readonly struct GeluErf : IUnaryFunction
    {
        public static float Cdf(float x) => (float)(0.5 * (1.0 + SpecialFunctions.Erf(x * 0.70710678118654752)));
        public static float Invoke(float x) => x * Cdf(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Cdf(Vector256<float> x) => Vector256.Create(0.5f) * (Vector256<float>.One + SpecialFunctions.Erf(x * Vector256.Create(InvSqrt2)));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Cdf(Vector128<float> x) => Vector128.Create(0.5f) * (Vector128<float>.One + SpecialFunctions.Erf(x * Vector128.Create(InvSqrt2)));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Cdf(Vector512<float> x) => Vector512.Create(0.5f) * (Vector512<float>.One + SpecialFunctions.Erf(x * Vector512.Create(InvSqrt2)));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x) => x * Cdf(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Invoke(Vector128<float> x) => x * Cdf(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x) => x * Cdf(x);
    }

    /// <summary>dy * d/dx GELU(x) = dy * (Phi(x) + x phi(x)).</summary>
    public readonly struct GeluErfBackward : IBinaryFunction
    {
        public static float Invoke(float x, float dy)
        {
            double cdf = 0.5 * (1.0 + SpecialFunctions.Erf(x * 0.70710678118654752));
            double pdf = 0.39894228040143268 * Math.Exp(-0.5 * x * x);
            return (float)(dy * (cdf + x * pdf));
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            var cdf = Vector256.Create(0.5f) * (Vector256<float>.One + SpecialFunctions.Erf(x * Vector256.Create(InvSqrt2)));
            var pdf = Vector256.Create(InvSqrt2Pi) * FastMath.Exp(Vector256.Create(-0.5f) * x * x);
            return dy * Vector256.FusedMultiplyAdd(x, pdf, cdf);
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            var cdf = Vector128.Create(0.5f) * (Vector128<float>.One + SpecialFunctions.Erf(x * Vector128.Create(InvSqrt2)));
            var pdf = Vector128.Create(InvSqrt2Pi) * FastMath.Exp(Vector128.Create(-0.5f) * x * x);
            return dy * Simd128.Fma(x, pdf, cdf);
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            var cdf = Vector512.Create(0.5f) * (Vector512<float>.One + SpecialFunctions.Erf(x * Vector512.Create(InvSqrt2)));
            var pdf = Vector512.Create(InvSqrt2Pi) * FastMath.Exp(Vector512.Create(-0.5f) * x * x);
            return dy * Vector512.FusedMultiplyAdd(x, pdf, cdf);
        }
    }

    /// <summary>GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).</summary>
    public readonly struct GeluTanh : IUnaryFunction
    {
        public static float Invoke(float x) => (float)(0.5 * x * (1.0 + Math.Tanh(0.79788456080286536 * (x + 0.044715 * x * x * x))));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x)
        {
            var u = Vector256.Create(SqrtTwoOverPi) * (x + Vector256.Create(TanhCubic) * x * x * x);
            return Vector256.Create(0.5f) * x * (Vector256<float>.One + Tanh.Invoke(u));
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Invoke(Vector128<float> x)
        {
            var u = Vector128.Create(SqrtTwoOverPi) * (x + Vector128.Create(TanhCubic) * x * x * x);
            return Vector128.Create(0.5f) * x * (Vector128<float>.One + Tanh.Invoke(u));
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x)
        {
            var u = Vector512.Create(SqrtTwoOverPi) * (x + Vector512.Create(TanhCubic) * x * x * x);
            return Vector512.Create(0.5f) * x * (Vector512<float>.One + Tanh.Invoke(u));
        }
    }

    public readonly struct GeluTanhBackward : IBinaryFunction
    {
        public static float Invoke(float x, float dy)
        {
            double u = 0.79788456080286536 * (x + 0.044715 * x * x * x);
            double t = Math.Tanh(u);
            double sech = 1 / Math.Cosh(u);
            double du = 0.79788456080286536 * (1 + 3 * 0.044715 * x * x);
            return (float)(dy * (0.5 * (1 + t) + 0.5 * x * sech * sech * du));
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy)
        {
            // tanh u = 1 - 2q and sech^2 u = 4 e q^2 with e = exp(2u), q = 1/(e + 1): no cancellation in 1 - tanh^2.
            var x2 = x * x;
            var u = Vector256.Create(SqrtTwoOverPi) * (x + Vector256.Create(TanhCubic) * x2 * x);
            var c = Vector256.Min(Vector256.Max(u, Vector256.Create(-20f)), Vector256.Create(20f));
            var e = FastMath.Exp(c + c);
            var q = FastMath.Reciprocal(e + Vector256<float>.One);
            var t = Vector256<float>.One - Vector256.Create(2f) * q;
            var sech2 = Vector256.Create(4f) * e * q * q;
            var du = Vector256.Create(SqrtTwoOverPi) * (Vector256<float>.One + Vector256.Create(3 * TanhCubic) * x2);
            var half = Vector256.Create(0.5f);
            return dy * (half * (Vector256<float>.One + t) + half * x * sech2 * du);
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy)
        {
            // tanh u = 1 - 2q and sech^2 u = 4 e q^2 with e = exp(2u), q = 1/(e + 1): no cancellation in 1 - tanh^2.
            var x2 = x * x;
            var u = Vector128.Create(SqrtTwoOverPi) * (x + Vector128.Create(TanhCubic) * x2 * x);
            var c = Vector128.Min(Vector128.Max(u, Vector128.Create(-20f)), Vector128.Create(20f));
            var e = FastMath.Exp(c + c);
            var q = FastMath.Reciprocal(e + Vector128<float>.One);
            var t = Vector128<float>.One - Vector128.Create(2f) * q;
            var sech2 = Vector128.Create(4f) * e * q * q;
            var du = Vector128.Create(SqrtTwoOverPi) * (Vector128<float>.One + Vector128.Create(3 * TanhCubic) * x2);
            var half = Vector128.Create(0.5f);
            return dy * (half * (Vector128<float>.One + t) + half * x * sech2 * du);
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy)
        {
            // tanh u = 1 - 2q and sech^2 u = 4 e q^2 with e = exp(2u), q = 1/(e + 1): no cancellation in 1 - tanh^2.
            var x2 = x * x;
            var u = Vector512.Create(SqrtTwoOverPi) * (x + Vector512.Create(TanhCubic) * x2 * x);
            var c = Vector512.Min(Vector512.Max(u, Vector512.Create(-20f)), Vector512.Create(20f));
            var e = FastMath.Exp(c + c);
            var q = FastMath.Reciprocal(e + Vector512<float>.One);
            var t = Vector512<float>.One - Vector512.Create(2f) * q;
            var sech2 = Vector512.Create(4f) * e * q * q;
            var du = Vector512.Create(SqrtTwoOverPi) * (Vector512<float>.One + Vector512.Create(3 * TanhCubic) * x2);
            var half = Vector512.Create(0.5f);
            return dy * (half * (Vector512<float>.One + t) + half * x * sech2 * du);
        }
    }

    public readonly struct Relu : IUnaryFunction
    {
        public static float Invoke(float x) => x > 0 ? x : 0f;
        public static Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
        public static Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);
        public static Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
    }

    public readonly struct ReluBackward : IBinaryFunction
    {
        public static float Invoke(float x, float dy) => x > 0 ? dy : 0f;
        public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<float>.Zero), dy, Vector256<float>.Zero);
        public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<float>.Zero), dy, Vector128<float>.Zero);
        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<float>.Zero), dy, Vector512<float>.Zero);
    }

    /// <summary>1 / (1 + exp(-x)), written to stay finite for large |x|.</summary>
    public readonly struct Sigmoid : IUnaryFunction
    {
        public static float Invoke(float x) => x >= 0 ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x)
        {
            var e = FastMath.Exp(-Vector256.Abs(x)); // in (0, 1]: never overflows
            var positive = FastMath.Reciprocal(Vector256<float>.One + e);
            return Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), positive, e * positive);
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Invoke(Vector128<float> x)
        {
            var e = FastMath.Exp(-Vector128.Abs(x)); // in (0, 1]: never overflows
            var positive = FastMath.Reciprocal(Vector128<float>.One + e);
            return Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), positive, e * positive);
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x)
        {
            var e = FastMath.Exp(-Vector512.Abs(x));
            var positive = FastMath.Reciprocal(Vector512<float>.One + e);
            return Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), positive, e * positive);
        }
    }

    /// <summary>Sigmoid backward from the output y: dy * y (1 - y).</summary>
    public readonly struct SigmoidBackward : IBinaryFunction
    {
        public static float Invoke(float y, float dy) => dy * y * (1f - y);
        public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * y * (Vector256<float>.One - y);
        public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * y * (Vector128<float>.One - y);
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * y * (Vector512<float>.One - y);
    }

    /// <summary>tanh(x) = 1 - 2 / (exp(2x) + 1), clamped so exp cannot overflow.</summary>
    public readonly struct Tanh : IUnaryFunction
    {
        public static float Invoke(float x) => MathF.Tanh(x);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x)
        {
            var c = Vector256.Min(Vector256.Max(x, Vector256.Create(-20f)), Vector256.Create(20f));
            var e = FastMath.Exp(c + c);
            return Vector256<float>.One - Vector256.Create(2f) * FastMath.Reciprocal(e + Vector256<float>.One);
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Invoke(Vector128<float> x)
        {
            var c = Vector128.Min(Vector128.Max(x, Vector128.Create(-20f)), Vector128.Create(20f));
            var e = FastMath.Exp(c + c);
            return Vector128<float>.One - Vector128.Create(2f) * FastMath.Reciprocal(e + Vector128<float>.One);
        }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x)
        {
            var c = Vector512.Min(Vector512.Max(x, Vector512.Create(-20f)), Vector512.Create(20f));
            var e = FastMath.Exp(c + c);
            return Vector512<float>.One - Vector512.Create(2f) * FastMath.Reciprocal(e + Vector512<float>.One);
        }
    }

    /// <summary>Tanh backward from the output y: dy * (1 - y^2).</summary>
    public readonly struct TanhBackward : IBinaryFunction
    {
        public static float Invoke(float y, float dy) => dy * (1f - y * y);
        public static Vector256<float> Invoke(Vector256<float> y, Vector256<float> dy) => dy * (Vector256<float>.One - y * y);
        public static Vector128<float> Invoke(Vector128<float> y, Vector128<float> dy) => dy * (Vector128<float>.One - y * y);
        public static Vector512<float> Invoke(Vector512<float> y, Vector512<float> dy) => dy * (Vector512<float>.One - y * y);
    }

    /// <summary>softplus(x) = log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|)), finite for any x.</summary>
    public readonly struct Softplus : IUnaryFunction
    {
        public static float Invoke(float x) => (float)(Math.Max(x, 0) + Math.Log(1 + Math.Exp(-Math.Abs((double)x))));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Invoke(Vector256<float> x) =>
            Vector256.Max(x, Vector256<float>.Zero) + Vector256.Log(Vector256<float>.One + FastMath.Exp(-Vector256.Abs(x)));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> Invoke(Vector128<float> x) =>
            Vector128.Max(x, Vector128<float>.Zero) + Vector128.Log(Vector128<float>.One + FastMath.Exp(-Vector128.Abs(x)));
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Invoke(Vector512<float> x) =>
            Vector512.Max(x, Vector512<float>.Zero) + Vector512.Log(Vector512<float>.One + FastMath.Exp(-Vector512.Abs(x)));
    }

    /// <summary>Softplus backward: dy * sigmoid(x).</summary>
    public readonly struct SoftplusBackward : IBinaryFunction
    {
        public static float Invoke(float x, float dy) => dy * Sigmoid.Invoke(x);
        public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> dy) => dy * Sigmoid.Invoke(x);
        public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> dy) => dy * Sigmoid.Invoke(x);
        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> dy) => dy * Sigmoid.Invoke(x);
    }

    public readonly struct Multiply : IBinaryFunction
    {
        public static float Invoke(float x, float y) => x * y;
        public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * y;
        public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x * y;
        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x * y;
    }

    public readonly struct Add : IBinaryFunction
    {
        public static float Invoke(float x, float y) => x + y;
        public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x + y;
        public static Vector128<float> Invoke(Vector128<float> x, Vector128<float> y) => x + y;
        public static Vector512<float> Invoke(Vector512<float> x, Vector512<float> y) => x + y;
    }
}
