namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// <c>airpls[:LAMBDA[:ITERATIONS]]</c>: adaptive iteratively reweighted penalised least squares (Zhang, Chen and Liang
/// 2010, Analyst 135, 1138), as its authors' published code: a first-difference Whittaker baseline; after solve t the
/// points above the baseline get weight 0 and those below exp(t |d_i| / |sum of negative d|), the end points
/// exp(t max(negative d) / |sum of negative d|); it stops when |sum of negative d| &lt; 0.001 sum |y| or after
/// ITERATIONS solves. The step outputs y - z.
/// </summary>
public sealed record AirPlsBaselineStep(double Lambda, int Iterations) : ISpectrumStep
{
    public const string Usage = "airpls[:LAMBDA[:ITERATIONS]]";

    public static AirPlsBaselineStep Parse(StepArguments a)
    {
        a.Expect(0, 2, Usage);
        return new AirPlsBaselineStep(a.Number(0, "LAMBDA", 1e-6, 1e15, 100), a.Integer(1, "ITERATIONS", 1, 1000, 15));
    }

    public string Spec => $"airpls:{StepArguments.Format(Lambda)}:{Iterations}";

    public double[] OutputAxis(double[] axis) => axis.Length > 1 ? axis
        : throw InputException.At(null, null, "points", "at least 2 points for a first-difference baseline", $"{axis.Length}");

    public void Apply(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, Span<double> output)
    {
        int n = input.Length;
        var smoother = new WhittakerSmoother(n, Lambda, order: 1);
        var weights = new double[n];
        var z = new double[n];
        weights.AsSpan().Fill(1);
        double total = 0;
        foreach (double v in input) total += Math.Abs(v);
        for (int t = 1; t <= Iterations; t++)
        {
            smoother.Smooth(input, weights, z);
            double negative = 0, largestNegative = double.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                double d = input[i] - z[i];
                if (d < 0) { negative += d; largestNegative = Math.Max(largestNegative, d); }
            }
            negative = Math.Abs(negative);
            // <=, so a spectrum of zeros (total 0) stops here instead of dividing by a zero negative sum.
            if (negative <= 0.001 * total || t == Iterations) break;
            for (int i = 0; i < n; i++)
            {
                double d = input[i] - z[i];
                weights[i] = d >= 0 ? 0 : Math.Exp(t * Math.Abs(d) / negative);
            }
            weights[0] = weights[n - 1] = Math.Exp(t * largestNegative / negative);
        }
        for (int i = 0; i < n; i++) output[i] = input[i] - z[i];
    }
}
