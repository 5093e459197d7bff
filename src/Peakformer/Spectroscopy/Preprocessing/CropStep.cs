namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary><c>crop:MIN:MAX</c>: keeps the points with MIN &lt;= shift &lt;= MAX (cm^-1).</summary>
public sealed record CropStep(double Min, double Max) : ISpectrumStep
{
    public const string Usage = "crop:MIN:MAX";

    public static CropStep Parse(StepArguments a)
    {
        a.Expect(2, 2, Usage);
        double min = a.Number(0, "MIN", -1e6, 1e6), max = a.Number(1, "MAX", -1e6, 1e6);
        if (!(max > min)) throw a.Error("MAX", $"a shift above MIN {Finite.Describe(min)}", Finite.Describe(max));
        return new CropStep(min, max);
    }

    public string Spec => $"crop:{StepArguments.Format(Min)}:{StepArguments.Format(Max)}";

    public double[] OutputAxis(double[] axis)
    {
        var (start, count) = Range(axis);
        if (count < 2)
            throw InputException.At(null, null, "range", $"at least 2 points in [{Finite.Describe(Min)}, {Finite.Describe(Max)}]",
                $"{count} on an axis from {Finite.Describe(axis[0])} to {Finite.Describe(axis[^1])}");
        return axis.AsSpan(start, count).ToArray();
    }

    public void Apply(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, Span<double> output)
    {
        var (start, count) = Range(axis);
        input.Slice(start, count).CopyTo(output);
    }

    private (int Start, int Count) Range(ReadOnlySpan<double> axis)
    {
        int start = 0;
        while (start < axis.Length && axis[start] < Min) start++;
        int end = start;
        while (end < axis.Length && axis[end] <= Max) end++;
        return (start, end - start);
    }
}
