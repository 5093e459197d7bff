namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// np.interp inside the data: the value at x on the piecewise-linear curve through (axis_j, input_j), axis strictly
/// increasing with at least two points; x beyond the ends takes the end value. One home for the resampling maths
/// (<see cref="ResampleStep"/>, spectra read on different grids).
/// </summary>
public static class LinearInterpolation
{
    /// <summary>
    /// The value at <paramref name="x"/>; <paramref name="j"/> is the segment found last, so ascending x walk the axis
    /// once (start at 0).
    /// </summary>
    public static double At(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, double x, ref int j)
    {
        while (j < axis.Length - 2 && axis[j + 1] < x) j++;
        double t = (x - axis[j]) / (axis[j + 1] - axis[j]);
        t = Math.Clamp(t, 0, 1);
        return input[j] + t * (input[j + 1] - input[j]);
    }

    /// <summary>The curve at every (ascending) point of <paramref name="target"/> into <paramref name="output"/>.</summary>
    public static void Onto(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, ReadOnlySpan<double> target, Span<double> output)
    {
        int j = 0;
        for (int k = 0; k < target.Length; k++) output[k] = At(axis, input, target[k], ref j);
    }
}
