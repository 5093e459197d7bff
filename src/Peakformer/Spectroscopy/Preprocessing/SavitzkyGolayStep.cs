namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// <c>savgol:WINDOW:ORDER</c>: Savitzky-Golay smoothing as scipy.signal.savgol_filter(y, WINDOW, ORDER) with its
/// default mode='interp': each point away from the ends is the value at the centre of the least-squares polynomial of
/// degree ORDER through the WINDOW points around it; the first and last WINDOW / 2 points take the values of the
/// polynomial fitted to the first and last WINDOW points. WINDOW is odd and at most the spectrum's length.
/// </summary>
public sealed record SavitzkyGolayStep(int Window, int Order) : ISpectrumStep
{
    public const string Usage = "savgol:WINDOW:ORDER";

    public static SavitzkyGolayStep Parse(StepArguments a)
    {
        a.Expect(2, 2, Usage);
        int window = a.Integer(0, "WINDOW", 1, 10_001);
        if (window % 2 == 0) throw a.Error("WINDOW", "an odd number of points", $"{window}");
        return new SavitzkyGolayStep(window, a.Integer(1, "ORDER", 0, Math.Min(window - 1, 10)));
    }

    public string Spec => $"savgol:{Window}:{Order}";

    public double[] OutputAxis(double[] axis) => axis.Length >= Window ? axis
        : throw InputException.At(null, null, "WINDOW", $"at most the spectrum's {axis.Length} points", $"{Window}");

    public void Apply(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, Span<double> output)
    {
        int h = Window / 2, n = input.Length;
        var weights = Weights();
        var centre = weights[h];
        for (int i = h; i < n - h; i++)
        {
            double s = 0;
            for (int j = 0; j < Window; j++) s += centre[j] * input[i - h + j];
            output[i] = s;
        }
        for (int i = 0; i < h; i++)
        {
            output[i] = Dot(weights[i], input[..Window]);
            output[n - h + i] = Dot(weights[h + 1 + i], input[(n - Window)..]);
        }
    }

    /// <summary>
    /// Row t (t = 0..WINDOW-1) weighs the window's points into the fitted polynomial's value at point t of the window:
    /// w_t = A (A^T A)^-1 e(t), A[j, q] = u_j^q, e(t)[q] = u_t^q, with positions u scaled to [-1, 1] so that A^T A stays
    /// well conditioned for wide windows.
    /// </summary>
    public double[][] Weights()
    {
        int h = Window / 2, terms = Order + 1;
        double Position(int j) => h == 0 ? 0 : (double)(j - h) / h;
        var normal = new double[terms, terms];
        for (int j = 0; j < Window; j++)
            for (int r = 0; r < terms; r++)
                for (int q = 0; q < terms; q++)
                    normal[r, q] += Math.Pow(Position(j), r + q);
        var inverse = Invert(normal);
        var rows = new double[Window][];
        for (int t = 0; t < Window; t++)
        {
            var g = new double[terms];   // (A^T A)^-1 e(t)
            for (int r = 0; r < terms; r++)
                for (int q = 0; q < terms; q++)
                    g[r] += inverse[r, q] * Math.Pow(Position(t), q);
            rows[t] = new double[Window];
            for (int j = 0; j < Window; j++)
                for (int r = 0; r < terms; r++)
                    rows[t][j] += Math.Pow(Position(j), r) * g[r];
        }
        return rows;
    }

    private static double Dot(double[] w, ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int j = 0; j < w.Length; j++) s += w[j] * x[j];
        return s;
    }

    // Gauss-Jordan with partial pivoting on a small symmetric positive definite matrix.
    private static double[,] Invert(double[,] m)
    {
        int n = m.GetLength(0);
        var a = (double[,])m.Clone();
        var inv = new double[n, n];
        for (int i = 0; i < n; i++) inv[i, i] = 1;
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            for (int k = 0; k < n; k++)
            {
                (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
                (inv[c, k], inv[pivot, k]) = (inv[pivot, k], inv[c, k]);
            }
            double d = a[c, c];
            for (int k = 0; k < n; k++) { a[c, k] /= d; inv[c, k] /= d; }
            for (int r = 0; r < n; r++)
            {
                if (r == c) continue;
                double f = a[r, c];
                if (f == 0) continue;
                for (int k = 0; k < n; k++) { a[r, k] -= f * a[c, k]; inv[r, k] -= f * inv[c, k]; }
            }
        }
        return inv;
    }
}
