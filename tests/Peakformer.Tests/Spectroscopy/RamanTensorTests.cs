using Peakformer.Engine.Randomness;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>Polarised Raman intensities (§3) against closed-form results: isotropic tensors, orientation averages.</summary>
public class RamanTensorTests
{
    private static readonly double[] X = [1, 0, 0], Y = [0, 1, 0];

    [Fact]
    public void Rotations_are_proper_orthogonal_matrices()
    {
        var rng = new Rng(4);
        for (int n = 0; n < 50; n++)
        {
            var q = RamanTensors.Rotation(rng);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    Assert.Equal(i == j ? 1 : 0, q[i * 3] * q[j * 3] + q[i * 3 + 1] * q[j * 3 + 1] + q[i * 3 + 2] * q[j * 3 + 2], 12);
            double det = q[0] * (q[4] * q[8] - q[5] * q[7]) - q[1] * (q[3] * q[8] - q[5] * q[6]) + q[2] * (q[3] * q[7] - q[4] * q[6]);
            Assert.Equal(1, det, 12);
        }
    }

    [Fact]
    public void An_isotropic_tensor_scatters_nothing_crossed_and_a_squared_parallel_in_every_orientation()
    {
        double[] iso = [2, 0, 0, 0, 2, 0, 0, 0, 2];
        var rng = new Rng(9);
        for (int n = 0; n < 20; n++)
        {
            var q = RamanTensors.Rotation(rng);
            Assert.Equal(0, RamanTensors.Intensity(iso, q, X, Y), 12);
            Assert.Equal(4, RamanTensors.Intensity(iso, q, X, X), 12);
        }
        Assert.Equal((2.0, 0.0), RamanTensors.Invariants(iso));
    }

    [Fact]
    public void The_orientation_average_of_a_symmetric_tensor_is_the_invariant_formula()
    {
        // A fixed symmetric tensor: a = 1, gamma^2 = 0.5 ((1-3)^2 + (3-(-1))^2 + (-1-1)^2) + 3 (0.5^2 + 0.25^2 + 1^2) = 12 + 3.9375.
        double[] r = [1, 0.5, 1, 0.5, 3, 0.25, 1, 0.25, -1];
        var (a, g2) = RamanTensors.Invariants(r);
        Assert.Equal(1, a, 12);
        Assert.Equal(15.9375, g2, 12);
        var rng = new Rng(17);
        double parallel = 0, crossed = 0;
        const int n = 400_000;
        for (int k = 0; k < n; k++)
        {
            var q = RamanTensors.Rotation(rng);
            parallel += RamanTensors.Intensity(r, q, X, X);
            crossed += RamanTensors.Intensity(r, q, X, Y);
        }
        // Long, The Raman Effect: <I_par> = (45 a^2 + 4 gamma^2) / 45, <I_perp> = 3 gamma^2 / 45.
        Assert.Equal((45 * a * a + 4 * g2) / 45, parallel / n, 0.01 * (45 * a * a + 4 * g2) / 45);
        Assert.Equal(3 * g2 / 45, crossed / n, 0.01 * 3 * g2 / 45);
        Assert.Equal((45 * a * a + 4 * g2) / 45, RamanTensors.ParallelAverage(r), 12);
    }

    [Fact]
    public void Generated_tensors_are_symmetric_and_the_same_for_a_class_seed()
    {
        var settings = new RamanSimulationSettings { Classes = 3 };
        var a = RamanTensors.Attach(BandLibrary.Generate(settings), 5);
        var b = RamanTensors.Attach(BandLibrary.Generate(settings), 5);
        Assert.All(a, c => Assert.Equal(c.Bands.Count, c.Tensors!.Count));
        Assert.All(a.SelectMany(c => c.Tensors!), t =>
        {
            Assert.Equal(t[1], t[3]);
            Assert.Equal(t[2], t[6]);
            Assert.Equal(t[5], t[7]);
        });
        Assert.Equal(a.SelectMany(c => c.Tensors!.SelectMany(t => t)), b.SelectMany(c => c.Tensors!.SelectMany(t => t)));
        Assert.NotEqual(a[0].Tensors![0], a[1].Tensors![0]);
    }

    [Fact]
    public void Polarised_spectra_differ_from_unpolarised_ones_and_crossed_from_parallel_while_unpolarised_ignore_tensors()
    {
        var settings = new RamanSimulationSettings { Classes = 2, Spectra = 6, Points = 200 };
        var plain = BandLibrary.Generate(settings);
        var tensors = RamanTensors.Attach(plain, 1);
        var unpolarised = RamanSimulator.Run(settings, plain, NullProgress.Instance);
        // Tensors without polarisations change nothing: the default stays what it was.
        Assert.Equal(unpolarised.Values, RamanSimulator.Run(settings, tensors, NullProgress.Instance).Values);
        var parallel = RamanSimulator.Run(settings with { Incident = X, Scattered = X }, tensors, NullProgress.Instance);
        var crossed = RamanSimulator.Run(settings with { Incident = X, Scattered = Y }, tensors, NullProgress.Instance);
        Assert.NotEqual(unpolarised.Values, parallel.Values);
        Assert.NotEqual(parallel.Values, crossed.Values);
        Assert.Equal(unpolarised.Labels, parallel.Labels);
    }

    [Theory]
    [InlineData("parallel", 1, 0, 0, 1, 0, 0)]
    [InlineData("crossed", 1, 0, 0, 0, 1, 0)]
    [InlineData("0,0,1:1,1,0", 0, 0, 1, 1, 1, 0)]
    public void Polarisations_parse(string text, double a, double b, double c, double d, double e, double f)
    {
        var (i, s) = PolarisationSpec.Parse(text, "--polarisation");
        Assert.Equal([a, b, c], i!);
        Assert.Equal([d, e, f], s!);
    }

    [Theory]
    [InlineData("diagonal")]
    [InlineData("1,0:0,1,0")]
    [InlineData("0,0,0:1,0,0")]
    public void Bad_polarisations_are_one_line(string text)
    {
        var e = Assert.Throws<InputException>(() => PolarisationSpec.Parse(text, "--polarisation"));
        Assert.StartsWith("--polarisation: expected none, parallel, crossed or two non-zero vectors", e.Message);
        Assert.Equal((null, null), PolarisationSpec.Parse("none", "--polarisation"));
    }

    [Fact]
    public void Simulate_raman_polarisation_records_the_vectors_and_tensors_and_none_writes_neither()
    {
        using var folder = new Peakformer.Tests.Support.TempFolder();
        var r = Peakformer.Tests.Cli.CliHarness.Run("simulate", "--domain", "raman", "--spectra", "20", "--classes", "2", "--points", "100", "--polarisation", "crossed", "--out", folder.File("c.npz"));
        Assert.True(r.Exit == 0, r.Error);
        string json = Peakformer.Spectroscopy.Spectra.SpectrumSetFile.Read(folder.File("c.npz")).GeneratorJson!;
        Assert.Contains("\"incident\":[1,0,0]", json);
        Assert.Contains("\"scattered\":[0,1,0]", json);
        Assert.Contains("\"tensors\":", json);
        Assert.Equal(0, Peakformer.Tests.Cli.CliHarness.Run("simulate", "--domain", "raman", "--spectra", "20", "--classes", "2", "--points", "100", "--out", folder.File("n.npz")).Exit);
        string plain = Peakformer.Spectroscopy.Spectra.SpectrumSetFile.Read(folder.File("n.npz")).GeneratorJson!;
        Assert.DoesNotContain("incident", plain);
        Assert.DoesNotContain("tensors", plain);
        var e = Peakformer.Tests.Cli.CliHarness.Run("simulate", "--domain", "ters", "--polarisation", "crossed", "--out", folder.File("t.npz"));
        Assert.Contains("--polarisation: expected an option of --domain raman", e.Error);
    }
}
