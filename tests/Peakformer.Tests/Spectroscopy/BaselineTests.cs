using Peakformer.Spectroscopy.Preprocessing;
using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>Baseline removal against baselines known in closed form.</summary>
public class BaselineTests
{
    // Bands of height 1 on a straight baseline: a straight line has no second difference, so ALS's penalty does not
    // resist it and only the bands' pull (weight p) bends the estimate.
    private static (double[] Y, double[] Baseline) BandsOnALine(int n)
    {
        var y = new double[n];
        var baseline = new double[n];
        for (int k = 0; k < n; k++)
        {
            baseline[k] = 0.4 + 0.6 * k / (n - 1);
            double bands = 0;
            foreach (var (centre, fwhm) in new[] { (150.0, 12.0), (320.0, 20.0), (520.0, 8.0), (700.0, 30.0) })
                bands += LineProfiles.Gaussian(k - centre, fwhm) / LineProfiles.Gaussian(0, fwhm);
            y[k] = baseline[k] + bands;
        }
        return (y, baseline);
    }

    [Fact]
    public void Als_recovers_a_straight_baseline_under_bands_to_within_half_a_percent_of_the_band_height()
    {
        var (y, truth) = BandsOnALine(800);
        new AlsBaselineStep(1e6, 0.001, 10).Baseline(y, new double[y.Length], out var baseline);
        double rms = Math.Sqrt(baseline.Zip(truth, (a, b) => (a - b) * (a - b)).Average());
        double worst = baseline.Zip(truth, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(rms < 0.005 && worst < 0.02, $"rms {rms:G3}, worst {worst:G3} (band height 1)");
    }

    [Fact]
    public void Als_leaves_a_spectrum_that_is_only_a_straight_line_at_zero()
    {
        var y = Enumerable.Range(0, 200).Select(k => 2.0 - 0.01 * k).ToArray();
        var corrected = new double[y.Length];
        new AlsBaselineStep(1e5, 0.01, 10).Apply(y, y, corrected);
        Assert.All(corrected, v => Assert.True(Math.Abs(v) < 1e-6, $"{v}"));
    }

    [Fact]
    public void AirPls_removes_a_constant_offset_under_bands_to_within_a_fifth_of_a_percent_of_the_band_height()
    {
        var (bands, _) = BandsOnALine(800);
        var y = bands.Select((v, k) => v - (0.4 + 0.6 * k / 799.0) + 3.0).ToArray();   // bands on a constant 3
        var corrected = new double[y.Length];
        new AirPlsBaselineStep(1e4, 15).Apply(y, y, corrected);
        double offset = y.Zip(corrected, (a, b) => a - b).Select(z => Math.Abs(z - 3)).Max();
        Assert.True(offset < 0.002, $"worst baseline error {offset:G3} (band height 1)");
    }

    [Fact]
    public void AirPls_of_a_spectrum_of_zeros_is_zeros_not_nan()
    {
        var y = new double[100];
        var corrected = new double[y.Length];
        new AirPlsBaselineStep(1e4, 15).Apply(y, y, corrected);
        Assert.All(corrected, v => Assert.Equal(0.0, v));
    }
}
