namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// <c>despike[:THRESHOLD[:WIDTH]]</c>: cosmic-ray removal after Whitaker and Hayes (2018, Chemometr. Intell. Lab. 179,
/// 82): the modified z-score z_i = 0.6745 (d_i - median d) / MAD of the first differences d_i = y_i - y_(i-1) flags
/// steps with |z| &gt; THRESHOLD (default 6). Where Whitaker and Hayes replace the points beside every flagged step (a
/// band's steep flank included), a spike here is a flagged rise followed, at most WIDTH points later (default 3), by
/// a flagged fall back to about the level before it, each step standing out by THRESHOLD from the step beside it
/// (a flank's steps change gradually): the points between are replaced by the mean of the points within WIDTH of
/// them that are not in a spike, and every other point is left exactly as it was. With MAD = 0 the mean absolute deviation
/// times 1.2533 stands in (Iglewicz and Hoaglin); with both 0 nothing is flagged.
/// </summary>
public sealed record DespikeStep(double Threshold, int Width) : ISpectrumStep
{
    public const string Usage = "despike[:THRESHOLD[:WIDTH]]";

    public static DespikeStep Parse(StepArguments a)
    {
        a.Expect(0, 2, Usage);
        return new DespikeStep(a.Number(0, "THRESHOLD", 1, 1e6, 6), a.Integer(1, "WIDTH", 1, 100, 3));
    }

    public string Spec => $"despike:{StepArguments.Format(Threshold)}:{Width}";

    public double[] OutputAxis(double[] axis) => axis.Length >= 4 ? axis
        : throw InputException.At(null, null, "points", "at least 4 points to tell a spike from its neighbours", $"{axis.Length}");

    public void Apply(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, Span<double> output)
    {
        input.CopyTo(output);
        var spike = Spikes(input);
        for (int i = 0; i < input.Length; i++)
        {
            if (!spike[i]) continue;
            double sum = 0;
            int count = 0;
            for (int j = Math.Max(0, i - Width); j <= Math.Min(input.Length - 1, i + Width); j++)
                if (!spike[j]) { sum += input[j]; count++; }
            if (count > 0) output[i] = sum / count;
        }
    }

    /// <summary>Which points lie in a spike.</summary>
    public bool[] Spikes(ReadOnlySpan<double> y)
    {
        int n = y.Length;
        var z = ModifiedZ(y);   // z[i] scores the step from point i - 1 to point i (z[0] = 0)
        double Next(int i) => i + 1 < n ? z[i + 1] : 0;
        var spike = new bool[n];
        for (int rise = 1; rise < n; rise++)
        {
            // A flagged upward step that also stands out from the step before it (a band's flank rises step by step)...
            if (!(z[rise] > Threshold && z[rise] - z[rise - 1] > Threshold)) continue;
            // ...then, within WIDTH points, a flagged downward step standing out from the step after it, back to
            // about the level before the rise (closer to it than half the spike's lowest point).
            for (int fall = rise + 1; fall <= Math.Min(n - 1, rise + Width); fall++)
            {
                if (!(z[fall] < -Threshold && z[fall] - Next(fall) < -Threshold)) continue;
                double before = y[rise - 1], lowest = double.PositiveInfinity;
                for (int k = rise; k < fall; k++) lowest = Math.Min(lowest, y[k] - before);
                if (Math.Abs(y[fall] - before) < 0.5 * lowest)
                    for (int k = rise; k < fall; k++) spike[k] = true;
                break;
            }
        }
        return spike;
    }

    private static double[] ModifiedZ(ReadOnlySpan<double> y)
    {
        int n = y.Length;
        var d = new double[n - 1];
        for (int i = 1; i < n; i++) d[i - 1] = y[i] - y[i - 1];
        double median = Median(d);
        var deviation = d.Select(v => Math.Abs(v - median)).ToArray();
        double mad = Median(deviation), scale;
        if (mad > 0) scale = mad / 0.6745;
        else scale = 1.2533 * deviation.Average();
        var z = new double[n];
        if (!(scale > 0)) return z;
        for (int i = 1; i < n; i++) z[i] = (d[i - 1] - median) / scale;
        return z;
    }

    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }
}
