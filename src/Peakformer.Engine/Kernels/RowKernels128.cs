using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// The Vector128 tier's row kernels (layer norm, softmax, y += s x, sum): the same steps as the Vector256 tier's
/// TensorPrimitives calls, in 128-bit vectors of our own, so the tier computes the same bits whatever width
/// TensorPrimitives would pick on the CPU. The reference loops in RowKernels and Elementwise are their reference.
/// </summary>
internal static class RowKernels128
{
    private const int W = 4;

    public static void LayerNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int cols, float eps)
    {
        int rows = x.Length / cols;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            var yr = y.Slice(r * cols, cols);
            float mu = Sum(xr) / cols;
            // yr = x - mean, then its mean square.
            var vmu = Vector128.Create(mu);
            var acc = Vector128<float>.Zero;
            int i = 0;
            for (; i <= cols - W; i += W)
            {
                var d = Load(xr, i) - vmu;
                Store(d, yr, i);
                acc = Simd128.Fma(d, d, acc);
            }
            float ss = Vector128.Sum(acc);
            for (; i < cols; i++)
            {
                yr[i] = xr[i] - mu;
                ss += yr[i] * yr[i];
            }
            float rs = 1f / MathF.Sqrt(ss / cols + eps);
            mean[r] = mu;
            rstd[r] = rs;
            var vrs = Vector128.Create(rs);
            for (i = 0; i <= cols - W; i += W) Store(Simd128.Fma(Load(yr, i) * vrs, Load(gamma, i), Load(beta, i)), yr, i);
            for (; i < cols; i++) yr[i] = yr[i] * rs * gamma[i] + beta[i];
        }
    }

    /// <summary>dx (+)= rstd (g - mean(g) - xhat mean(g xhat)) with g = dy gamma; dgamma += dy xhat; dbeta += dy.</summary>
    public static void LayerNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, bool accumulateDx, Span<float> dgamma, Span<float> dbeta, int cols,
        Span<float> scratch)
    {
        int rows = x.Length / cols;
        var xhat = scratch[..cols];
        var g = scratch.Slice(cols, cols);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            var dyr = dy.Slice(r * cols, cols);
            float mu = mean[r], rs = rstd[r];
            var vmu = Vector128.Create(mu);
            var vrs = Vector128.Create(rs);
            Vector128<float> sg = Vector128<float>.Zero, sgx = Vector128<float>.Zero;
            int i = 0;
            for (; i <= cols - W; i += W)
            {
                var h = (Load(xr, i) - vmu) * vrs;
                var gi = Load(dyr, i) * Load(gamma, i);
                Store(h, xhat, i);
                Store(gi, g, i);
                sg += gi;
                sgx = Simd128.Fma(gi, h, sgx);
            }
            float sumG = Vector128.Sum(sg), sumGx = Vector128.Sum(sgx);
            for (; i < cols; i++)
            {
                xhat[i] = (xr[i] - mu) * rs;
                g[i] = dyr[i] * gamma[i];
                sumG += g[i];
                sumGx += g[i] * xhat[i];
            }
            float mg = sumG / cols, mgx = sumGx / cols;
            if (!dx.IsEmpty)
            {
                var dxr = dx.Slice(r * cols, cols);
                // dx (+)= rs * g - rs * mg - (rs * mgx) * xhat
                var shift = Vector128.Create(-rs * mg);
                var slope = Vector128.Create(-rs * mgx);
                for (i = 0; i <= cols - W; i += W)
                {
                    var v = Simd128.Fma(Load(g, i), vrs, accumulateDx ? Load(dxr, i) : Vector128<float>.Zero);
                    Store(Simd128.Fma(Load(xhat, i), slope, v + shift), dxr, i);
                }
                for (; i < cols; i++)
                {
                    float v = g[i] * rs + (accumulateDx ? dxr[i] : 0f);
                    dxr[i] = xhat[i] * (-rs * mgx) + (v + -rs * mg);
                }
            }
            if (!dgamma.IsEmpty)
            {
                for (i = 0; i <= cols - W; i += W) Store(Simd128.Fma(Load(dyr, i), Load(xhat, i), Load(dgamma, i)), dgamma, i);
                for (; i < cols; i++) dgamma[i] += dyr[i] * xhat[i];
            }
            if (!dbeta.IsEmpty)
            {
                for (i = 0; i <= cols - W; i += W) Store(Load(dyr, i) + Load(dbeta, i), dbeta, i);
                for (; i < cols; i++) dbeta[i] += dyr[i];
            }
        }
    }

    /// <summary>Stable softmax (or log-softmax) of each row: the maximum is subtracted before exp.</summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int cols, bool log)
    {
        int rows = x.Length / cols;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            var yr = y.Slice(r * cols, cols);
            float max = float.NegativeInfinity;
            foreach (var v in xr) max = MathF.Max(max, v);
            var vmax = Vector128.Create(max);
            var acc = Vector128<float>.Zero;
            int i = 0;
            for (; i <= cols - W; i += W)
            {
                var e = FastMath.Exp(Load(xr, i) - vmax);
                if (!log) Store(e, yr, i);
                acc += e;
            }
            float sum = Vector128.Sum(acc);
            for (; i < cols; i++)
            {
                float e = MathF.Exp(xr[i] - max);
                if (!log) yr[i] = e;
                sum += e;
            }
            if (log)
            {
                float logSum = max + MathF.Log(sum);
                for (i = 0; i < cols; i++) yr[i] = xr[i] - logSum;
            }
            else
            {
                float inverse = 1f / sum;
                for (i = 0; i < cols; i++) yr[i] *= inverse;
            }
        }
    }

    /// <summary>y += s * x.</summary>
    public static void AddScaled(ReadOnlySpan<float> x, float s, Span<float> y)
    {
        var vs = Vector128.Create(s);
        int i = 0;
        for (; i <= x.Length - W; i += W) Store(Simd128.Fma(Load(x, i), vs, Load(y, i)), y, i);
        for (; i < x.Length; i++) y[i] += s * x[i];
    }

    /// <summary>Sum in four lanes, then the lanes and the tail in order.</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        var acc = Vector128<float>.Zero;
        int i = 0;
        for (; i <= x.Length - W; i += W) acc += Load(x, i);
        float s = Vector128.Sum(acc);
        for (; i < x.Length; i++) s += x[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Load(ReadOnlySpan<float> x, int i) => Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(x), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(Vector128<float> v, Span<float> x, int i) => v.StoreUnsafe(ref MemoryMarshal.GetReference(x), (nuint)i);
}
