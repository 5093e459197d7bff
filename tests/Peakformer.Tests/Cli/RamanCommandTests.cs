using Peakformer.Data.Npy;
using Peakformer.Engine.Threading;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

[Collection(SharedPoolCollection.Name)]
public class RamanCommandTests
{
    [Fact]
    public void Simulate_raman_gives_identical_files_for_any_thread_count_and_another_seed_another_file()
    {
        using var folder = new TempFolder();
        int previous = WorkerPool.Shared.Threads;
        try
        {
            Assert.Equal(0, CliHarness.Run("simulate", "--domain", "raman", "--spectra", "300", "--seed", "5", "--threads", "1", "--out", folder.File("a.npz")).Exit);
            Assert.Equal(0, CliHarness.Run("simulate", "--domain", "raman", "--spectra", "300", "--seed", "5", "--threads", "3", "--out", folder.File("b.npz")).Exit);
            Assert.Equal(0, CliHarness.Run("simulate", "--domain", "raman", "--spectra", "300", "--seed", "6", "--threads", "2", "--out", folder.File("c.npz")).Exit);
        }
        finally
        {
            WorkerPool.SetSharedThreads(previous);
        }
        Assert.Equal(File.ReadAllBytes(folder.File("a.npz")), File.ReadAllBytes(folder.File("b.npz")));
        Assert.NotEqual(File.ReadAllBytes(folder.File("a.npz")), File.ReadAllBytes(folder.File("c.npz")));
    }

    [Fact]
    public void Simulate_raman_writes_spectra_labels_classes_grid_and_settings()
    {
        using var folder = new TempFolder();
        var r = CliHarness.Run("simulate", "--domain", "raman", "--spectra", "48", "--classes", "4", "--points", "250", "--range", "300:1800",
            "--line-shape", "pseudo-voigt", "--set", "noise=0.05", "--out", folder.File("r.npz"));
        Assert.True(r.Exit == 0, r.Error);
        using var npz = new NpzReader(folder.File("r.npz"));
        Assert.Equal([48L, 250], npz.Header("X").Shape);
        Assert.Equal(NpyType.Float32, npz.Header("X").Type);
        Assert.Equal(["class_00", "class_01", "class_02", "class_03"], npz.Read("class_names").As<string>("names"));
        var axis = npz.Read("wavenumbers").As<double>("axis");
        Assert.Equal(300, axis[0]);
        Assert.Equal(1800, axis[^1], 9);
        string json = npz.Read("generator_json").As<string>("json")[0];
        Assert.Contains("\"line_shape\":\"pseudo_voigt\"", json);
        Assert.Contains("\"noise\":0.05", json);
    }

    [Fact]
    public void Simulate_raman_from_a_stick_table_uses_its_classes()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("s.csv"), "class,shift_cm1,intensity\nA,1000,1\nB,1000,1\nB,1450,0.5\nC,620,1\n");
        var r = CliHarness.Run("simulate", "--domain", "raman", "--spectra", "30", "--sticks", folder.File("s.csv"), "--out", folder.File("r.npz"));
        Assert.True(r.Exit == 0, r.Error);
        var set = SpectrumSetFile.Read(folder.File("r.npz"));
        Assert.Equal(["A", "B", "C"], set.ClassNames);
    }

    [Theory]
    [InlineData("--domain", "raman", "--particle", "kaon", "--particle: expected an option of --domain drift")]
    [InlineData("--spectra", "10", "--seed", "1", "--spectra: expected an option of --domain raman")]
    [InlineData("--domain", "optics", "--seed", "1", "--domain: expected drift, raman or ters")]
    [InlineData("--domain", "raman", "--range", "2000:200", "--range: expected MIN:MAX")]
    [InlineData("--domain", "raman", "--set", "noise=NaN", "--set noise: expected a value of the setting's type")]
    [InlineData("--domain", "raman", "--set", "spike_probability=2", "spike_probability: expected a number in [0, 1], found 2")]
    public void Bad_simulate_options_give_one_error_line_and_no_file(string a, string b, string c, string d, string expected)
    {
        using var folder = new TempFolder();
        var r = CliHarness.Run("simulate", a, b, c, d, "--out", folder.File("x.npz"));
        Assert.Equal(1, r.Exit);
        Assert.StartsWith($"error: {expected}", r.Error.Replace("error: raman: ", "error: "));
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(folder.File("x.npz")));
    }

    [Fact]
    public void Preprocess_writes_the_processed_spectra_with_their_steps_and_refuses_a_users_file()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliHarness.Run("simulate", "--domain", "raman", "--spectra", "40", "--out", folder.File("r.npz")).Exit);
        var r = CliHarness.Run("preprocess", "--data", folder.File("r.npz"), "--steps", "crop:400:1800,despike,als:1e5:0.01,savgol:11:3,minmax", "--out", folder.File("p.npz"));
        Assert.True(r.Exit == 0, r.Error);
        Assert.Contains("preprocessing spectra", r.Error + r.Output);
        var set = SpectrumSetFile.Read(folder.File("p.npz"));
        Assert.All(set.Wavenumbers, w => Assert.InRange(w, 400, 1800));
        Assert.Equal("{\"steps\":[\"crop:400:1800\",\"despike:6:3\",\"als:100000:0.01:10\",\"savgol:11:3\",\"minmax\"]}", set.PreprocessingJson);
        Assert.NotNull(set.GeneratorJson);

        // Processing a processed set records the earlier steps first.
        Assert.Equal(0, CliHarness.Run("preprocess", "--data", folder.File("p.npz"), "--steps", "vector", "--out", folder.File("q.npz")).Exit);
        Assert.EndsWith("\"minmax\",\"vector\"]}", SpectrumSetFile.Read(folder.File("q.npz")).PreprocessingJson);

        File.WriteAllText(folder.File("mine.npz"), "a user's file");
        r = CliHarness.Run("preprocess", "--data", folder.File("r.npz"), "--steps", "minmax", "--out", folder.File("mine.npz"), "--force");
        Assert.Equal(1, r.Exit);
        Assert.Equal("a user's file", File.ReadAllText(folder.File("mine.npz")));
        Assert.Equal(0, CliHarness.Run("preprocess", "--data", folder.File("r.npz"), "--steps", "max", "--out", folder.File("p.npz"), "--force").Exit);
    }

    [Fact]
    public void Preprocess_with_a_bad_step_names_it_and_writes_nothing()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliHarness.Run("simulate", "--domain", "raman", "--spectra", "12", "--out", folder.File("r.npz")).Exit);
        var r = CliHarness.Run("preprocess", "--data", folder.File("r.npz"), "--steps", "crop:400:1800,resample:100:3000:50", "--out", folder.File("p.npz"));
        Assert.Equal(1, r.Exit);
        Assert.Equal("error: --steps: step 2 'resample:100:3000:50': grid: expected a grid within the data's axis [400, 1800], found [100, 3000]", r.Error.Trim());
        Assert.False(File.Exists(folder.File("p.npz")));
    }

    [Fact]
    public void Simulate_ters_writes_maps_that_are_the_same_at_any_thread_count()
    {
        using var folder = new TempFolder();
        int previous = WorkerPool.Shared.Threads;
        try
        {
            Assert.Equal(0, CliHarness.Run("simulate", "--domain", "ters", "--maps", "50", "--size", "16", "--classes", "5", "--threads", "1", "--out", folder.File("a.npz")).Exit);
            Assert.Equal(0, CliHarness.Run("simulate", "--domain", "ters", "--maps", "50", "--size", "16", "--classes", "5", "--threads", "3", "--out", folder.File("b.npz")).Exit);
        }
        finally
        {
            WorkerPool.SetSharedThreads(previous);
        }
        Assert.Equal(File.ReadAllBytes(folder.File("a.npz")), File.ReadAllBytes(folder.File("b.npz")));
        using var npz = new NpzReader(folder.File("a.npz"));
        Assert.Equal([50L, 3, 16, 16], npz.Header("maps").Shape);
        Assert.Equal(5, npz.Read("class_names").As<string>("names").Length);
        var r = CliHarness.Run("simulate", "--domain", "ters", "--points", "100", "--out", folder.File("c.npz"));
        Assert.Equal("error: --points: expected an option of --domain raman, found it with --domain ters", r.Error.Trim());
    }
}
