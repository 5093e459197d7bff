namespace Peakformer.Engine.Kernels;

/// <summary>
/// 1D convolution written as its definition (§4 of the TERS reference): the plain loops the fast im2col + matrix
/// multiply of <see cref="Autograd.Ops.Conv1d"/> is tested against, in every kernel tier. Sums in double.
/// Shapes: x[B, Cin, L], w[Cout, Cin, K], b[Cout], y[B, Cout, Lout].
/// </summary>
public static class Conv1dReference
{
    public static int OutLength(int length, int kernel, int stride, int padding, int dilation) =>
        (length + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;

    /// <summary>y[n, o, t] = b[o] + sum over c, k of w[o, c, k] x[n, c, t stride - padding + k dilation] (zero outside).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, Span<float> y,
        int batch, int cin, int length, int cout, int kernel, int stride, int padding, int dilation)
    {
        int lout = OutLength(length, kernel, stride, padding, dilation);
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < lout; t++)
                {
                    double sum = b.IsEmpty ? 0 : b[o];
                    for (int c = 0; c < cin; c++)
                        for (int k = 0; k < kernel; k++)
                        {
                            int s = t * stride - padding + k * dilation;
                            if ((uint)s < (uint)length) sum += (double)w[(o * cin + c) * kernel + k] * x[(n * cin + c) * length + s];
                        }
                    y[(n * cout + o) * lout + t] = (float)sum;
                }
    }

    /// <summary>Gradients of the forward given dy (written, not accumulated): dx, dw and db (db may be empty).</summary>
    public static void Backward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> dy, Span<float> dx, Span<float> dw, Span<float> db,
        int batch, int cin, int length, int cout, int kernel, int stride, int padding, int dilation)
    {
        int lout = OutLength(length, kernel, stride, padding, dilation);
        var gx = new double[dx.Length];
        var gw = new double[dw.Length];
        var gb = new double[cout];
        for (int n = 0; n < batch; n++)
            for (int o = 0; o < cout; o++)
                for (int t = 0; t < lout; t++)
                {
                    double g = dy[(n * cout + o) * lout + t];
                    gb[o] += g;
                    for (int c = 0; c < cin; c++)
                        for (int k = 0; k < kernel; k++)
                        {
                            int s = t * stride - padding + k * dilation;
                            if ((uint)s >= (uint)length) continue;
                            gx[(n * cin + c) * length + s] += g * w[(o * cin + c) * kernel + k];
                            gw[(o * cin + c) * kernel + k] += g * x[(n * cin + c) * length + s];
                        }
                }
        for (int i = 0; i < dx.Length; i++) dx[i] = (float)gx[i];
        for (int i = 0; i < dw.Length; i++) dw[i] = (float)gw[i];
        for (int i = 0; i < db.Length; i++) db[i] = (float)gb[i];
    }
}
