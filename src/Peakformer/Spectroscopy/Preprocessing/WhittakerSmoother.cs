namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// The weighted Whittaker smoother both baseline methods iterate: z solves (W + lambda D^T D) z = W y, D the
/// difference matrix of order d over the points (Eilers 2003). The matrix is symmetric positive definite and banded
/// (half-bandwidth d), so a banded Cholesky factorisation solves it in O(L d^2). Buffers are kept for reuse: one
/// smoother per thread.
/// </summary>
public sealed class WhittakerSmoother
{
    private readonly int _order;
    private readonly double[] _penalty;   // lambda D^T D in band storage: [i * (d + 1) + k] = A[i, i + k]
    private readonly double[] _band;
    private readonly int _length;

    public WhittakerSmoother(int length, double lambda, int order)
    {
        if (order < 1 || order > 3) throw new ArgumentOutOfRangeException(nameof(order), $"WhittakerSmoother: order {order} outside 1..3.");
        if (length <= order) throw new InputException($"baseline: expected more than {order} points, found {length}");
        (_length, _order) = (length, order);
        int width = order + 1;
        _penalty = new double[length * width];
        _band = new double[length * width];
        // Row r of D holds the binomial coefficients of order d with alternating signs at columns r..r+d.
        var c = new double[width];
        for (int a = 0; a <= order; a++) c[a] = Binomial(order, a) * ((order - a) % 2 == 0 ? 1 : -1);
        for (int r = 0; r + order < length; r++)
            for (int a = 0; a <= order; a++)
                for (int b = a; b <= order; b++)
                    _penalty[(r + a) * width + (b - a)] += lambda * c[a] * c[b];
    }

    /// <summary>z = (W + lambda D^T D)^-1 W y.</summary>
    public void Smooth(ReadOnlySpan<double> y, ReadOnlySpan<double> weights, Span<double> z)
    {
        int n = _length, d = _order, width = d + 1;
        _penalty.CopyTo(_band, 0);
        for (int i = 0; i < n; i++)
        {
            _band[i * width] += weights[i];
            z[i] = weights[i] * y[i];
        }
        // Cholesky A = L L^T in place (band[i, k] holds L[i + k, i]), then L u = W y and L^T z = u.
        for (int i = 0; i < n; i++)
        {
            double diagonal = _band[i * width];
            for (int k = 1; k <= d && i - k >= 0; k++)
            {
                double l = _band[(i - k) * width + k];
                diagonal -= l * l;
            }
            diagonal = Math.Sqrt(diagonal);
            _band[i * width] = diagonal;
            for (int k = 1; k <= d && i + k < n; k++)
            {
                double s = _band[i * width + k];
                for (int m = 1; m + k <= d && i - m >= 0; m++)
                    s -= _band[(i - m) * width + m] * _band[(i - m) * width + m + k];
                _band[i * width + k] = s / diagonal;
            }
        }
        for (int i = 0; i < n; i++)
        {
            double s = z[i];
            for (int k = 1; k <= d && i - k >= 0; k++) s -= _band[(i - k) * width + k] * z[i - k];
            z[i] = s / _band[i * width];
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double s = z[i];
            for (int k = 1; k <= d && i + k < n; k++) s -= _band[i * width + k] * z[i + k];
            z[i] = s / _band[i * width];
        }
    }

    private static double Binomial(int n, int k)
    {
        double r = 1;
        for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
        return r;
    }
}
