using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// <c>resample:MIN:MAX:POINTS</c>: linear interpolation onto the even grid g_k = MIN + k (MAX - MIN) / (POINTS - 1)
/// (ters-ml-math-reference.md §1), as np.interp (<see cref="LinearInterpolation"/>); the grid must lie within the data's axis (no extrapolation).
/// </summary>
public sealed record ResampleStep(SpectralGrid Grid) : ISpectrumStep
{
    public const string Usage = "resample:MIN:MAX:POINTS";

    public static ResampleStep Parse(StepArguments a)
    {
        a.Expect(3, 3, Usage);
        double min = a.Number(0, "MIN", -1e6, 1e6), max = a.Number(1, "MAX", -1e6, 1e6);
        if (!(max > min)) throw a.Error("MAX", $"a shift above MIN {Finite.Describe(min)}", Finite.Describe(max));
        return new ResampleStep(new SpectralGrid(min, max, a.Integer(2, "POINTS", 2, SpectralGrid.MaxPoints)));
    }

    public string Spec => $"resample:{StepArguments.Format(Grid.Min)}:{StepArguments.Format(Grid.Max)}:{Grid.Points}";

    public double[] OutputAxis(double[] axis)
    {
        if (Grid.Min < axis[0] || Grid.Max > axis[^1])
            throw InputException.At(null, null, "grid", $"a grid within the data's axis [{Finite.Describe(axis[0])}, {Finite.Describe(axis[^1])}]",
                $"[{Finite.Describe(Grid.Min)}, {Finite.Describe(Grid.Max)}]");
        return Grid.Values();
    }

    public void Apply(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, Span<double> output)
    {
        int j = 0;
        for (int k = 0; k < output.Length; k++) output[k] = LinearInterpolation.At(axis, input, Grid.At(k), ref j);
    }
}
