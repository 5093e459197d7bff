using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Peakformer.Engine.Kernels;

/// <summary>Per-row kernels over the last dimension: layer norm and stable (log-)softmax, reference and fast.</summary>
internal static class RowKernels
{
    /// <summary>y = (x - mean) * rstd * gamma + beta per row; saves mean and rstd.</summary>
    public static void LayerNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> y, Span<float> mean, Span<float> rstd, int cols, float eps)
    {
        if (KernelSettings.Variant == KernelVariant.Vector512 && LayerNorm512.Supports(cols))
        {
            LayerNorm512.Forward(x, default, default, gamma, beta, default, y, mean, rstd, cols, eps);
            return;
        }
        if (KernelSettings.Variant == KernelVariant.Vector128)
        {
            RowKernels128.LayerNormForward(x, gamma, beta, y, mean, rstd, cols, eps);
            return;
        }
        int rows = x.Length / cols;
        bool reference = KernelSettings.Variant == KernelVariant.Reference;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            var yr = y.Slice(r * cols, cols);
            float mu, var;
            if (reference)
            {
                double s = 0, s2 = 0;
                for (int i = 0; i < cols; i++) s += xr[i];
                double m = s / cols;
                for (int i = 0; i < cols; i++) s2 += (xr[i] - m) * (xr[i] - m);
                mu = (float)m;
                var = (float)(s2 / cols);
            }
            else
            {
                mu = TensorPrimitives.Sum(xr) / cols;
                TensorPrimitives.Subtract(xr, mu, yr);
                var = TensorPrimitives.SumOfSquares(yr) / cols;
            }
            float rs = 1f / MathF.Sqrt(var + eps);
            mean[r] = mu;
            rstd[r] = rs;
            if (reference)
            {
                for (int i = 0; i < cols; i++) yr[i] = (xr[i] - mu) * rs * gamma[i] + beta[i];
            }
            else
            {
                // yr holds x - mean already.
                TensorPrimitives.Multiply(yr, rs, yr);
                TensorPrimitives.FusedMultiplyAdd(yr, gamma, beta, yr);
            }
        }
    }

    /// <summary>
    /// r = x + sub * mask (mask optional), then y = layer norm of r, row by row so each row of r is normalised while
    /// still in L1. Saves r (for the backward pass), mean and rstd.
    /// </summary>
    public static void ResidualLayerNormForward(ReadOnlySpan<float> x, ReadOnlySpan<float> sub, ReadOnlySpan<float> mask,
        ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta, Span<float> r, Span<float> y, Span<float> mean, Span<float> rstd, int cols, float eps)
    {
        if (KernelSettings.Variant == KernelVariant.Vector512 && LayerNorm512.Supports(cols))
        {
            LayerNorm512.Forward(x, sub, mask, gamma, beta, r, y, mean, rstd, cols, eps);
            return;
        }
        int rows = x.Length / cols;
        bool masked = !mask.IsEmpty;
        for (int row = 0; row < rows; row++)
        {
            var rr = r.Slice(row * cols, cols);
            if (masked) Elementwise.Map<ActivationFunctions.Multiply>(sub.Slice(row * cols, cols), mask.Slice(row * cols, cols), rr);
            else sub.Slice(row * cols, cols).CopyTo(rr);
            Elementwise.AddInPlace(x.Slice(row * cols, cols), rr);
            LayerNormForward(rr, gamma, beta, y.Slice(row * cols, cols), mean.Slice(row, 1), rstd.Slice(row, 1), cols, eps);
        }
    }

    /// <summary>dx (+)= rstd (g - mean(g) - xhat mean(g xhat)) with g = dy gamma; dgamma += dy xhat; dbeta += dy.</summary>
    public static void LayerNormBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> gamma, ReadOnlySpan<float> dy,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, Span<float> dx, bool accumulateDx, Span<float> dgamma, Span<float> dbeta, int cols,
        Span<float> scratch)
    {
        if (KernelSettings.Variant == KernelVariant.Vector512 && LayerNorm512.Supports(cols))
        {
            LayerNorm512.Backward(x, gamma, dy, mean, rstd, dx, accumulateDx, dgamma, dbeta, cols);
            return;
        }
        if (KernelSettings.Variant == KernelVariant.Vector128)
        {
            RowKernels128.LayerNormBackward(x, gamma, dy, mean, rstd, dx, accumulateDx, dgamma, dbeta, cols, scratch);
            return;
        }
        int rows = x.Length / cols;
        var xhat = scratch[..cols];
        var g = scratch.Slice(cols, cols);
        bool reference = KernelSettings.Variant == KernelVariant.Reference;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            var dyr = dy.Slice(r * cols, cols);
            float mu = mean[r], rs = rstd[r];
            if (reference)
            {
                double sg = 0, sgx = 0;
                for (int i = 0; i < cols; i++)
                {
                    xhat[i] = (xr[i] - mu) * rs;
                    g[i] = dyr[i] * gamma[i];
                    sg += g[i];
                    sgx += g[i] * xhat[i];
                }
                float mg = (float)(sg / cols), mgx = (float)(sgx / cols);
                if (!dx.IsEmpty)
                {
                    var dxr = dx.Slice(r * cols, cols);
                    for (int i = 0; i < cols; i++) dxr[i] = (accumulateDx ? dxr[i] : 0f) + rs * (g[i] - mg - xhat[i] * mgx);
                }
                if (!dgamma.IsEmpty) for (int i = 0; i < cols; i++) dgamma[i] += dyr[i] * xhat[i];
                if (!dbeta.IsEmpty) for (int i = 0; i < cols; i++) dbeta[i] += dyr[i];
            }
            else
            {
                TensorPrimitives.Subtract(xr, mu, xhat);
                TensorPrimitives.Multiply(xhat, rs, xhat);
                TensorPrimitives.Multiply(dyr, gamma, g);
                float mg = TensorPrimitives.Sum(g) / cols;
                float mgx = TensorPrimitives.Dot(g, xhat) / cols;
                if (!dx.IsEmpty)
                {
                    var dxr = dx.Slice(r * cols, cols);
                    // dx (+)= rs * g - rs * mg - (rs * mgx) * xhat
                    if (accumulateDx) TensorPrimitives.MultiplyAdd(g, rs, dxr, dxr);
                    else TensorPrimitives.Multiply(g, rs, dxr);
                    TensorPrimitives.Add(dxr, -rs * mg, dxr);
                    TensorPrimitives.MultiplyAdd(xhat, -rs * mgx, dxr, dxr);
                }
                if (!dgamma.IsEmpty) TensorPrimitives.FusedMultiplyAdd(dyr, xhat, dgamma, dgamma);
                if (!dbeta.IsEmpty) TensorPrimitives.Add(dyr, dbeta, dbeta);
            }
        }
    }

    /// <summary>Stable softmax (or log-softmax) of each row: the maximum is subtracted before exp.</summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int cols, bool log)
    {
        if (KernelSettings.Variant == KernelVariant.Vector128)
        {
            RowKernels128.Softmax(x, y, cols, log);
            return;
        }
        int rows = x.Length / cols;
        bool reference = KernelSettings.Variant == KernelVariant.Reference;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * cols, cols);
            var yr = y.Slice(r * cols, cols);
            if (reference)
            {
                float max = float.NegativeInfinity;
                for (int i = 0; i < cols; i++) max = Math.Max(max, xr[i]);
                double sum = 0;
                for (int i = 0; i < cols; i++) sum += Math.Exp(xr[i] - max);
                if (log)
                {
                    float logSum = max + (float)Math.Log(sum);
                    for (int i = 0; i < cols; i++) yr[i] = xr[i] - logSum;
                }
                else
                {
                    for (int i = 0; i < cols; i++) yr[i] = (float)(Math.Exp(xr[i] - max) / sum);
                }
            }
            else
            {
                float max = TensorPrimitives.Max(xr);
                TensorPrimitives.Subtract(xr, max, yr);
                if (log)
                {
                    // y = (x - max) - log(sum(exp(x - max)))
                    float sum = 0;
                    for (int i = 0; i < cols; i++) sum += MathF.Exp(yr[i]);
                    TensorPrimitives.Subtract(yr, MathF.Log(sum), yr);
                }
                else
                {
                    TensorPrimitives.Exp(yr, yr);
                    TensorPrimitives.Divide(yr, TensorPrimitives.Sum(yr), yr);
                }
            }
        }
    }

    /// <summary>Softmax backward from the output y: dx += y (dy - sum(dy y)); log-softmax: dx += dy - exp(y) sum(dy).</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int cols, bool log)
    {
        int rows = y.Length / cols;
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * cols, cols);
            var dyr = dy.Slice(r * cols, cols);
            var dxr = dx.Slice(r * cols, cols);
            if (log)
            {
                float s = 0;
                for (int i = 0; i < cols; i++) s += dyr[i];
                for (int i = 0; i < cols; i++) dxr[i] += dyr[i] - MathF.Exp(yr[i]) * s;
            }
            else
            {
                float s = 0;
                for (int i = 0; i < cols; i++) s += dyr[i] * yr[i];
                for (int i = 0; i < cols; i++) dxr[i] += yr[i] * (dyr[i] - s);
            }
        }
    }
}
