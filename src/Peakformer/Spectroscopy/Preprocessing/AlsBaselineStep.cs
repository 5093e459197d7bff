namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// <c>als[:LAMBDA[:P[:ITERATIONS]]]</c>: baseline removal by asymmetric least squares (Eilers and Boelens 2005). The
/// baseline z minimises sum_i w_i (y_i - z_i)^2 + lambda sum_i (second difference of z)_i^2, with w_i = P where the
/// spectrum lies above the baseline and 1 - P below, the weights renewed from each solution (ITERATIONS solves,
/// starting from w = 1). The step outputs y - z. Differences run over points, not cm^-1: lambda depends on the point
/// spacing (resample first to compare settings across instruments).
/// </summary>
public sealed record AlsBaselineStep(double Lambda, double P, int Iterations) : ISpectrumStep
{
    public const string Usage = "als[:LAMBDA[:P[:ITERATIONS]]]";

    public static AlsBaselineStep Parse(StepArguments a)
    {
        a.Expect(0, 3, Usage);
        return new AlsBaselineStep(a.Number(0, "LAMBDA", 1e-6, 1e15, 1e5), a.Number(1, "P", 1e-6, 0.5, 0.01), a.Integer(2, "ITERATIONS", 1, 1000, 10));
    }

    public string Spec => $"als:{StepArguments.Format(Lambda)}:{StepArguments.Format(P)}:{Iterations}";

    public double[] OutputAxis(double[] axis) => axis.Length > 2 ? axis
        : throw InputException.At(null, null, "points", "at least 3 points for a second-difference baseline", $"{axis.Length}");

    public void Apply(ReadOnlySpan<double> axis, ReadOnlySpan<double> input, Span<double> output) => Baseline(input, output, out _);

    /// <summary>The baseline itself into <paramref name="baseline"/>, and y - baseline into <paramref name="corrected"/>.</summary>
    public void Baseline(ReadOnlySpan<double> y, Span<double> corrected, out double[] baseline)
    {
        var smoother = new WhittakerSmoother(y.Length, Lambda, order: 2);
        var weights = new double[y.Length];
        baseline = new double[y.Length];
        weights.AsSpan().Fill(1);
        for (int iteration = 0; iteration < Iterations; iteration++)
        {
            smoother.Smooth(y, weights, baseline);
            for (int i = 0; i < y.Length; i++) weights[i] = y[i] > baseline[i] ? P : 1 - P;
        }
        for (int i = 0; i < y.Length; i++) corrected[i] = y[i] - baseline[i];
    }
}
