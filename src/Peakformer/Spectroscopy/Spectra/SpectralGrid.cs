namespace Peakformer.Spectroscopy.Spectra;

/// <summary>
/// An evenly spaced Raman-shift axis in cm^-1: g_k = min + k * step, k = 0..points-1, step = (max - min) / (points - 1)
/// (ters-ml-math-reference.md §1).
/// </summary>
public sealed record SpectralGrid(double Min, double Max, int Points)
{
    /// <summary>A spectrum longer than this is not a Raman spectrum (instrument CCDs have a few thousand pixels).</summary>
    public const int MaxPoints = 1 << 16;

    public double Step => (Max - Min) / (Points - 1);

    public double At(int k) => Min + k * Step;

    public double[] Values()
    {
        var values = new double[Points];
        for (int k = 0; k < Points; k++) values[k] = At(k);
        return values;
    }

    public void Validate(string where)
    {
        if (!double.IsFinite(Min) || !double.IsFinite(Max) || !(Min < Max))
            throw InputException.At(null, null, $"{where}: grid", "finite min < max", $"{Finite.Describe(Min)}..{Finite.Describe(Max)}");
        Finite.Count($"{where}: points", Points, 2, MaxPoints);
    }
}
