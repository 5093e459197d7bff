using Peakformer.Learning.Metrics;

namespace Peakformer.Tests.Learning.Metrics;

public class RegressionMetricsTests
{
    [Fact]
    public void Regression_metrics_match_the_hand_computed_values()
    {
        // d = pred - true = [-1, 0, 3]: MAE 4/3, MSE 10/3, bias 2/3, sigma(d) = sqrt(10/3 - 4/9), mean true 7/3.
        var m = RegressionMetrics.Of([1, 2, 6], [2, 2, 3]);
        Assert.Equal(4.0 / 3, m.Mae, 12);
        Assert.Equal(10.0 / 3, m.Mse, 12);
        Assert.Equal(2.0 / 3, m.Bias, 12);
        Assert.Equal(Math.Sqrt(26.0 / 9) / (7.0 / 3), m.Resolution, 12);
        Assert.Equal(1.16 / 2.80, RegressionMetrics.Improvement(2.80, 1.64), 12);
        Assert.True(double.IsNaN(RegressionMetrics.Improvement(0, 1)));
    }
}
