namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// The one home of spectrum normalisation (the simulator's last step and the pipeline's normalise steps).
/// A spectrum that has nothing to scale by (flat, zero area, zero norm or zero maximum) becomes all zeros rather
/// than NaN.
/// </summary>
public static class Normalisation
{
    public static void Apply(NormalisationKind kind, ReadOnlySpan<double> axis, Span<double> y)
    {
        switch (kind)
        {
            case NormalisationKind.MinMax:
            {
                // (S_k - min S) / (max S - min S) (ters-ml-math-reference.md §1); its epsilon is replaced by the flat case.
                double min = double.PositiveInfinity, max = double.NegativeInfinity;
                foreach (double v in y) { min = Math.Min(min, v); max = Math.Max(max, v); }
                Divide(y, min, max - min);
                break;
            }
            case NormalisationKind.Area:
            {
                // Area under the curve by the trapezoid rule over the shift axis (np.trapz(y, x)); its magnitude divides.
                double area = 0;
                for (int k = 1; k < y.Length; k++) area += 0.5 * (y[k] + y[k - 1]) * (axis[k] - axis[k - 1]);
                Divide(y, 0, Math.Abs(area));
                break;
            }
            case NormalisationKind.Vector:
            {
                double sum = 0;
                foreach (double v in y) sum += v * v;
                Divide(y, 0, Math.Sqrt(sum));
                break;
            }
            case NormalisationKind.Max:
            {
                // The largest magnitude, so a spectrum left negative by baseline removal still ends in [-1, 1].
                double max = 0;
                foreach (double v in y) max = Math.Max(max, Math.Abs(v));
                Divide(y, 0, max);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private static void Divide(Span<double> y, double offset, double scale)
    {
        if (!(scale > 0) || !double.IsFinite(scale))
        {
            y.Clear();
            return;
        }
        for (int k = 0; k < y.Length; k++) y[k] = (y[k] - offset) / scale;
    }
}
