namespace Peakformer.DriftChamber.Counting;

/// <summary>
/// The closed-form least-squares line y = Intercept + Slope x: Slope = Cov(x, y) / Var(x), Intercept =
/// mean(y) - Slope mean(x). With no spread in x the slope is 0 and the line is the mean of y.
/// </summary>
public sealed record LeastSquaresLine(double Slope, double Intercept)
{
    public double At(double x) => Intercept + Slope * x;

    public static LeastSquaresLine Fit(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count) throw new ArgumentException($"LeastSquaresLine: {x.Count} x values but {y.Count} y values.");
        if (x.Count == 0) throw new ArgumentException("LeastSquaresLine: no points to fit.");
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Count; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxx > 0 ? sxy / sxx : 0;
        return new LeastSquaresLine(slope, my - slope * mx);
    }
}
