using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Layer norm over rows whose length is a multiple of 16 (a transformer's d_model), one row at a time in
/// Vector512 registers. The general path makes seven or eight TensorPrimitives calls per row, and on 64-wide rows
/// their per-call cost was most of the time. Same formulas and elementwise steps as RowKernels' general path; only
/// the order in which the row sums are added differs.
/// </summary>
internal static unsafe class LayerNorm512
{
    public static bool Supports(int cols) => cols > 0 && cols % 16 == 0;

    /// <summary>y = LayerNorm(x) per row; with <paramref name="sub"/> the row is first r = x + sub (* mask), saved in r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> sub, ReadOnlySpan<float> mask, ReadOnlySpan<float> gamma,
        ReadOnlySpan<float> beta, Span<float> r, Span<float> y, Span<float> mean, Span<float> rstd, int cols, float eps)
    {
        int rows = x.Length / cols;
        bool residual = !sub.IsEmpty, masked = !mask.IsEmpty;
        fixed (float* px = x, ps = sub, pm = mask, pg = gamma, pb = beta, pr = r, py = y)
        {
            for (int row = 0; row < rows; row++)
            {
                long o = (long)row * cols;
                float* input = px + o;
                if (residual)
                {
                    for (int i = 0; i < cols; i += 16)
                    {
                        var s = Vector512.Load(ps + o + i);
                        if (masked) s *= Vector512.Load(pm + o + i);
                        Vector512.Store(Vector512.Load(px + o + i) + s, pr + o + i);
                    }
                    input = pr + o;
                }
                var sum = Vector512<float>.Zero;
                for (int i = 0; i < cols; i += 16) sum += Vector512.Load(input + i);
                float mu = Vector512.Sum(sum) / cols;
                var m = Vector512.Create(mu);
                var squares = Vector512<float>.Zero;
                for (int i = 0; i < cols; i += 16)
                {
                    var d = Vector512.Load(input + i) - m;
                    squares = Vector512.FusedMultiplyAdd(d, d, squares);
                }
                float rs = 1f / MathF.Sqrt(Vector512.Sum(squares) / cols + eps);
                var scale = Vector512.Create(rs);
                for (int i = 0; i < cols; i += 16)
                {
                    var normalized = (Vector512.Load(input + i) - m) * scale;
                    Vector512.Store(Vector512.FusedMultiplyAdd(normalized, Vector512.Load(pg + i), Vector512.Load(pb + i)), py + o + i);
                }
                mean[row] = mu;
                rstd[row] = rs;
            }
        }
    }

    /// <summary>dx (+)= rstd (g - mean(g) - xhat mean(g xhat)) with g = dy gamma; dgamma += dy xhat; dbeta += dy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> dy, ReadOnlySpan<float> mean,
        ReadOnlySpan<float> rstd, Span<float> dx, bool accumulateDx, Span<float> dgamma, Span<float> dbeta, int cols)
    {
        int rows = x.Length / cols;
        bool wantDx = !dx.IsEmpty, wantGamma = !dgamma.IsEmpty, wantBeta = !dbeta.IsEmpty;
        fixed (float* px = x, pg = gamma, pd = dy, pdx = dx, pdg = dgamma, pdb = dbeta)
        {
            for (int row = 0; row < rows; row++)
            {
                long o = (long)row * cols;
                var mu = Vector512.Create(mean[row]);
                float rs = rstd[row];
                var scale = Vector512.Create(rs);
                var sumG = Vector512<float>.Zero;
                var sumGx = Vector512<float>.Zero;
                for (int i = 0; i < cols; i += 16)
                {
                    var xhat = (Vector512.Load(px + o + i) - mu) * scale;
                    var dyv = Vector512.Load(pd + o + i);
                    var g = dyv * Vector512.Load(pg + i);
                    sumG += g;
                    sumGx = Vector512.FusedMultiplyAdd(g, xhat, sumGx);
                    if (wantGamma) Vector512.Store(Vector512.FusedMultiplyAdd(dyv, xhat, Vector512.Load(pdg + i)), pdg + i);
                    if (wantBeta) Vector512.Store(dyv + Vector512.Load(pdb + i), pdb + i);
                }
                if (!wantDx) continue;
                var shift = Vector512.Create(-rs * (Vector512.Sum(sumG) / cols));
                var slope = Vector512.Create(-rs * (Vector512.Sum(sumGx) / cols));
                for (int i = 0; i < cols; i += 16)
                {
                    var xhat = (Vector512.Load(px + o + i) - mu) * scale;
                    var g = Vector512.Load(pd + o + i) * Vector512.Load(pg + i);
                    var d = accumulateDx ? Vector512.FusedMultiplyAdd(g, scale, Vector512.Load(pdx + o + i)) : g * scale;
                    Vector512.Store(Vector512.FusedMultiplyAdd(xhat, slope, d + shift), pdx + o + i);
                }
            }
        }
    }
}
