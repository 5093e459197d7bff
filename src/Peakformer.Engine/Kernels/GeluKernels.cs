using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Exact (erf) GELU that keeps Phi(x) from the forward pass, so the backward pass needs one exp for phi(x)
/// instead of recomputing erf: y = x Phi(x) (times an optional dropout mask);
/// dx = dy (mask) (Phi(x) + x phi(x)). The scalar loops are the reference.
/// </summary>
internal static unsafe class GeluKernels
{
    private const float InvSqrt2Pi = 0.39894228040143268f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, Span<float> y, Span<float> cdf, ReadOnlySpan<float> mask)
    {
        int n = x.Length, i = 0;
        bool masked = !mask.IsEmpty;
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pc = cdf)
        fixed (float* pm = mask)
        {
            if (KernelSettings.Variant == KernelVariant.Vector512)
                for (; i <= n - 16; i += 16)
                {
                    var v = Vector512.Load(px + i);
                    var c = ActivationFunctions.GeluErf.Cdf(v);
                    c.Store(pc + i);
                    var o = v * c;
                    Vector512.Store(masked ? o * Vector512.Load(pm + i) : o, py + i);
                }
            else if (KernelSettings.Variant == KernelVariant.Vector256)
                for (; i <= n - 8; i += 8)
                {
                    var v = Vector256.Load(px + i);
                    var c = ActivationFunctions.GeluErf.Cdf(v);
                    c.Store(pc + i);
                    var o = v * c;
                    Vector256.Store(masked ? o * Vector256.Load(pm + i) : o, py + i);
                }
            else if (KernelSettings.Variant == KernelVariant.Vector128)
                for (; i <= n - 4; i += 4)
                {
                    var v = Vector128.Load(px + i);
                    var c = ActivationFunctions.GeluErf.Cdf(v);
                    c.Store(pc + i);
                    var o = v * c;
                    Vector128.Store(masked ? o * Vector128.Load(pm + i) : o, py + i);
                }
            for (; i < n; i++)
            {
                float c = ActivationFunctions.GeluErf.Cdf(px[i]);
                pc[i] = c;
                float o = px[i] * c;
                py[i] = masked ? o * pm[i] : o;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> cdf, ReadOnlySpan<float> dy, ReadOnlySpan<float> mask, Span<float> dx, bool accumulate)
    {
        int n = x.Length, i = 0;
        bool masked = !mask.IsEmpty;
        fixed (float* px = x)
        fixed (float* pc = cdf)
        fixed (float* pd = dy)
        fixed (float* pm = mask)
        fixed (float* po = dx)
        {
            if (KernelSettings.Variant == KernelVariant.Vector512)
                for (; i <= n - 16; i += 16)
                {
                    var v = Vector512.Load(px + i);
                    var g = Vector512.Load(pd + i);
                    if (masked) g *= Vector512.Load(pm + i);
                    var pdf = Vector512.Create(InvSqrt2Pi) * FastMath.Exp(Vector512.Create(-0.5f) * v * v);
                    var r = g * Vector512.FusedMultiplyAdd(v, pdf, Vector512.Load(pc + i));
                    Vector512.Store(accumulate ? Vector512.Load(po + i) + r : r, po + i);
                }
            else if (KernelSettings.Variant == KernelVariant.Vector256)
                for (; i <= n - 8; i += 8)
                {
                    var v = Vector256.Load(px + i);
                    var g = Vector256.Load(pd + i);
                    if (masked) g *= Vector256.Load(pm + i);
                    var pdf = Vector256.Create(InvSqrt2Pi) * FastMath.Exp(Vector256.Create(-0.5f) * v * v);
                    var r = g * Vector256.FusedMultiplyAdd(v, pdf, Vector256.Load(pc + i));
                    Vector256.Store(accumulate ? Vector256.Load(po + i) + r : r, po + i);
                }
            else if (KernelSettings.Variant == KernelVariant.Vector128)
                for (; i <= n - 4; i += 4)
                {
                    var v = Vector128.Load(px + i);
                    var g = Vector128.Load(pd + i);
                    if (masked) g *= Vector128.Load(pm + i);
                    var pdf = Vector128.Create(InvSqrt2Pi) * FastMath.Exp(Vector128.Create(-0.5f) * v * v);
                    var r = g * Simd128.Fma(v, pdf, Vector128.Load(pc + i));
                    Vector128.Store(accumulate ? Vector128.Load(po + i) + r : r, po + i);
                }
            for (; i < n; i++)
            {
                double pdf = 0.39894228040143268 * Math.Exp(-0.5 * px[i] * px[i]);
                float r = (float)(pd[i] * (masked ? pm[i] : 1f) * (pc[i] + px[i] * pdf));
                po[i] = accumulate ? po[i] + r : r;
            }
        }
    }
}
