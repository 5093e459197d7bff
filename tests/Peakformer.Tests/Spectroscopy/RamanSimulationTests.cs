using Peakformer.Progress;
using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>The Raman simulator against closed forms: unit-area profiles, the FWHM they are given, and the band library's overlap.</summary>
public class RamanSimulationTests
{
    // A clean single stick: no jitter, baseline, noise, spikes or normalisation.
    private static readonly RamanSimulationSettings Clean = new()
    {
        MinShift = 0, MaxShift = 2000, Points = 20001, Spectra = 1, ShiftJitter = 0, WidthJitter = 0, IntensityJitter = 0,
        Baseline = 0, Noise = 0, PeakCounts = 0, SpikeProbability = 0, Normalise = false,
    };

    private static double[] Broadened(LineShape shape, double shift, double intensity, double fwhm, out double[] grid)
    {
        var settings = Clean with { LineShape = shape };
        grid = settings.Grid.Values();
        var output = new double[grid.Length];
        RamanSimulator.Spectrum(settings, new ClassBands("one", [new Band(shift, intensity, fwhm)]), grid, 0, output);
        return output;
    }

    private static double Trapezoid(double[] y, double[] x)
    {
        double s = 0;
        for (int k = 1; k < y.Length; k++) s += 0.5 * (y[k] + y[k - 1]) * (x[k] - x[k - 1]);
        return s;
    }

    [Fact]
    public void A_broadened_gaussian_stick_integrates_to_its_intensity()
    {
        var y = Broadened(LineShape.Gaussian, 1000, 3.5, 12, out var grid);
        Assert.Equal(3.5, Trapezoid(y, grid), 9);
    }

    [Fact]
    public void A_broadened_lorentzian_stick_integrates_to_its_intensity_times_the_share_within_the_grid()
    {
        // Over [c - R, c + R] a unit Lorentzian of half width gamma holds (2 / pi) atan(R / gamma).
        var y = Broadened(LineShape.Lorentzian, 1000, 2, 10, out var grid);
        Assert.Equal(2 * 2 / Math.PI * Math.Atan(1000 / 5.0), Trapezoid(y, grid), 5);
    }

    [Theory]
    [InlineData(LineShape.Gaussian)]
    [InlineData(LineShape.Lorentzian)]
    [InlineData(LineShape.PseudoVoigt)]
    public void Every_profile_peaks_at_the_stick_and_falls_to_half_at_half_the_fwhm(LineShape shape)
    {
        // Grid step 0.1 cm^-1: the stick and both half points (1000 +- 7) lie on grid points.
        var y = Broadened(shape, 1000, 1, 14, out var grid);
        int top = Array.IndexOf(grid, grid.MinBy(g => Math.Abs(g - 1000)));
        Assert.Equal(top, Array.IndexOf(y, y.Max()));
        Assert.Equal(0.5, y[top - 70] / y[top], 9);
        Assert.Equal(0.5, y[top + 70] / y[top], 9);
    }

    [Fact]
    public void The_gaussian_fwhm_is_2_sqrt_2_ln2_sigma_and_its_peak_is_that_of_a_normal_density()
    {
        double sigma = 10 / LineProfiles.FwhmPerSigma;
        Assert.Equal(2.354820045, LineProfiles.FwhmPerSigma, 9);
        Assert.Equal(1 / (sigma * Math.Sqrt(2 * Math.PI)), LineProfiles.Gaussian(0, 10), 12);
    }

    [Fact]
    public void Generated_classes_share_bands_yet_no_two_classes_are_the_same()
    {
        var settings = new RamanSimulationSettings();
        var classes = BandLibrary.Generate(settings);
        Assert.Equal(12, classes.Length);
        var shifts = classes.Select(c => c.Bands.Select(b => b.Shift).ToHashSet()).ToArray();
        for (int a = 0; a < classes.Length; a++)
        {
            Assert.Equal(settings.SharedPerClass + settings.UniquePerClass, classes[a].Bands.Count);
            Assert.Contains(Enumerable.Range(0, classes.Length), b => b != a && shifts[a].Overlaps(shifts[b]));
            for (int b = a + 1; b < classes.Length; b++) Assert.False(shifts[a].SetEquals(shifts[b]), $"classes {a} and {b} have the same bands");
        }
    }

    [Fact]
    public void Labels_are_balanced_and_spectra_are_min_max_normalised()
    {
        var settings = new RamanSimulationSettings { Spectra = 120, Points = 300, Seed = 4 };
        var set = RamanSimulator.Run(settings, BandLibrary.Generate(settings), NullProgress.Instance);
        Assert.All(Enumerable.Range(0, 12), c => Assert.Equal(10, set.Labels.Count(l => l == c)));
        for (int i = 0; i < set.Count; i++)
        {
            Assert.Equal(0f, set.Spectrum(i).ToArray().Min());
            Assert.Equal(1f, set.Spectrum(i).ToArray().Max(), 6);
        }
    }

    [Fact]
    public void Settings_out_of_range_are_named()
    {
        var e = Assert.Throws<InputException>(() => (new RamanSimulationSettings { SharedPerClass = 20 }).Validate("raman"));
        Assert.Contains("shared_per_class", e.Message);
        e = Assert.Throws<InputException>(() => (new RamanSimulationSettings { MinShift = 500, MaxShift = 100 }).Validate("raman"));
        Assert.Contains("grid", e.Message);
    }
}
