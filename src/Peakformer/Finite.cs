using System.Globalization;
using Peakformer.Engine.Tensors;

namespace Peakformer;

/// <summary>
/// The one home of "is this number usable": range checks for options and settings (finite and within bounds, the bound
/// named in the message) and scans of data for NaN and infinity. Every failure is an <see cref="InputException"/>.
/// </summary>
public static class Finite
{
    /// <summary>
    /// "NaN", "Infinity", "-Infinity" or the number itself (invariant culture); a value that came from a float is
    /// written as that float (1e30f is "1E+30", not "1.0000000150474662E+30").
    /// </summary>
    public static string Describe(double value) => (double)(float)value == value
        ? ((float)value).ToString(CultureInfo.InvariantCulture)
        : value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A float as written (0.1f is "0.1", not its double expansion).</summary>
    public static string Describe(float value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A finite value in [min, max].</summary>
    public static double InRange(string where, double value, double min, double max)
    {
        if (!(value >= min && value <= max))
            throw InputException.At(null, null, where, $"a number in [{Describe(min)}, {Describe(max)}]", Describe(value));
        return value;
    }

    /// <summary>A finite value in (0, max].</summary>
    public static double Positive(string where, double value, double max)
    {
        if (!(value > 0 && value <= max))
            throw InputException.At(null, null, where, $"a positive number at most {Describe(max)}", Describe(value));
        return value;
    }

    /// <summary>A probability strictly between 0 and 1 (decision thresholds).</summary>
    public static double OpenUnit(string where, double value)
    {
        if (!(value > 0 && value < 1)) throw InputException.At(null, null, where, "a value in (0, 1)", Describe(value));
        return value;
    }

    /// <summary>An integer in [min, max].</summary>
    public static long Count(string where, long value, long min, long max)
    {
        if (value < min || value > max)
            throw InputException.At(null, null, where, $"a whole number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]",
                value.ToString(CultureInfo.InvariantCulture));
        return value;
    }

    /// <summary>
    /// Fails on the first NaN or infinite value of rows of <paramref name="rowLength"/> values, naming the row
    /// (as <paramref name="row"/> N, counted from <paramref name="firstRow"/>) and the position in it.
    /// </summary>
    public static void RequireRows(ReadOnlySpan<float> values, int rowLength, long firstRow, string source, string row, string element)
    {
        int i = FiniteScan.IndexOfNonFinite(values);
        if (i < 0) return;
        throw new InputException($"{source}: {row} {firstRow + i / rowLength} {element} {i % rowLength} is {Describe(values[i])}");
    }
}
