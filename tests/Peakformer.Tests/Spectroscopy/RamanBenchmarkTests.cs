using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>The calibration shift, the band seed and the benchmark preset of the Raman simulator.</summary>
public class RamanBenchmarkTests
{
    private static readonly RamanSimulationSettings Clean = new()
    {
        MinShift = 0, MaxShift = 2000, Points = 4001, Spectra = 1, ShiftJitter = 0, WidthJitter = 0, IntensityJitter = 0,
        Baseline = 0, Noise = 0, PeakCounts = 0, SpikeProbability = 0, Normalise = false, CalibrationShift = 20,
    };

    private static double PeakAt(double[] y, double[] grid, int from, int to)
    {
        int best = from;
        for (int k = from; k < to; k++) if (y[k] > y[best]) best = k;
        return grid[best];
    }

    [Fact]
    public void A_calibration_shift_moves_every_band_of_a_spectrum_by_the_same_offset()
    {
        var grid = Clean.Grid.Values();
        var bands = new ClassBands("two", [new Band(600, 1, 10), new Band(1400, 1, 10)]);
        var offsets = new List<double>();
        for (int i = 0; i < 6; i++)
        {
            var y = new double[grid.Length];
            RamanSimulator.Spectrum(Clean, bands, grid, i, y);
            double a = PeakAt(y, grid, 0, 2000), b = PeakAt(y, grid, 2000, 4001);
            Assert.Equal(800, b - a, 6);
            offsets.Add(a - 600);
        }
        // The offset differs between spectra (sd 20 cm^-1), and without it the bands sit where they are.
        Assert.True(offsets.Max() - offsets.Min() > 5, string.Join(", ", offsets));
        var still = new double[grid.Length];
        RamanSimulator.Spectrum(Clean with { CalibrationShift = 0 }, bands, grid, 3, still);
        Assert.Equal(600, PeakAt(still, grid, 0, 2000), 6);
    }

    [Fact]
    public void A_class_seed_keeps_the_classes_whatever_the_spectra_seed()
    {
        var train = new RamanSimulationSettings { Seed = 1 };
        var test = train with { Seed = 2, ClassSeed = 1 };
        Assert.Equal(BandLibrary.Generate(train).SelectMany(c => c.Bands), BandLibrary.Generate(test).SelectMany(c => c.Bands));
        Assert.NotEqual(BandLibrary.Generate(train).SelectMany(c => c.Bands), BandLibrary.Generate(train with { Seed = 2 }).SelectMany(c => c.Bands));
    }

    [Fact]
    public void The_benchmark_preset_has_ten_or_more_classes_that_share_all_their_bands()
    {
        var b = new RamanSimulationSettings().WithPreset("benchmark");
        b.Validate("test");
        Assert.True(b.Classes >= 10);
        Assert.Equal(0, b.UniquePerClass);
        Assert.True(b.CalibrationShift > b.FwhmMax, "the calibration shift moves bands by more than their width");
        Assert.True(b.Baseline > 0 && b.Noise > 0 && b.SpikeProbability > 0);
        var e = Assert.Throws<InputException>(() => b.WithPreset("hard"));
        Assert.Equal("--preset: expected benchmark (with --domain raman), found 'hard'", e.Message);
    }
}
