using System.Text.Json;
using Peakformer.Data.Npy;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>train --task count, count and pid end to end on tiny data and models, and their error paths.</summary>
public class CountCommandTests : IClassFixture<CountCommandTests.Trained>
{
    /// <summary>Data and models shared by the tests of this class (trained once).</summary>
    public sealed class Trained : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Train => Folder.File("train.npz");
        public string Test => Folder.File("test.npz");
        public string Window => Folder.File("window.safetensors");
        public string Count => Folder.File("count.safetensors");
        public string OneStep => Folder.File("onestep.safetensors");

        public Trained()
        {
            Check(CliHarness.Run("simulate", "--events", "150", "--particle", "pion,kaon", "--momentum", "2:50", "--seed", "1", "--out", Train));
            Check(CliHarness.Run("simulate", "--events", "40", "--particle", "pion,kaon", "--momentum", "2:50", "--seed", "2", "--out", Test));
            Check(CliHarness.Run("train", "--data", Train, "--out", Window, "--epochs", "1", "--lr", "1e-3", "--min-auc", "0",
                "--model-config", "{\"model\": 16, \"heads\": 2, \"layers\": 1, \"feed_forward\": 16, \"head_hidden\": 16}"));
            Check(CliHarness.Run("train", "--task", "count", "--data", Train, "--out", Count, "--peaks-from", "deriv", "--epochs", "2",
                "--model-config", "{\"model\": 16, \"feed_forward\": 16, \"dense\": 16}"));
            Check(CliHarness.Run("train", "--task", "count", "--model", "onestep", "--data", Train, "--out", OneStep, "--epochs", "1", "--max-waveforms", "40",
                "--model-config", "{\"backbone\": {\"model\": 8, \"heads\": 2, \"layers\": 1, \"feed_forward\": 8, \"embedding_kernel\": 5}}"));
        }

        private static void Check((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

        public void Dispose() => Folder.Dispose();
    }

    private readonly Trained _t;

    public CountCommandTests(Trained trained) => _t = trained;

    private static long[] Clusters(string npz)
    {
        using var reader = new NpzReader(npz);
        return ((Array)reader.Read("n_clusters").Values).Cast<object>().Select(Convert.ToInt64).ToArray();
    }

    [Fact]
    public void Count_compares_models_baselines_and_clusterisation_in_a_report()
    {
        string report = _t.Folder.File("count-report");
        var (exit, output, error) = CliHarness.Run("count", "--data", _t.Test, "--models", $"{_t.Count},{_t.OneStep}", "--peak-models", $"{_t.Window},{_t.Window}@0.9",
            "--train-data", _t.Train, "--out", report);
        Assert.True(exit == 0, error);
        Assert.Contains("count transformer on DERIV vs constant mean: MAE", output);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        var names = metrics.RootElement.GetProperty("methods").EnumerateArray().Select(m => m.GetProperty("name").GetString()).ToList();
        Assert.Equal(["constant mean", "least squares on DERIV count", "truth peaks + clusterisation", "DERIV + clusterisation", "D2 + clusterisation",
            "window transformer + clusterisation", "window transformer at 0.9 + clusterisation", "count transformer on DERIV", "one-step counter"], names);
        foreach (var figure in new[] { "response.svg", "residuals.svg", "mae_momentum.svg", "training_loss_0.svg" })
            Assert.True(File.Exists(Path.Combine(report, figure)), figure);
        // Four models (two count models, the window transformer's peaks clusterised at two thresholds) against two baselines and two classical finders.
        Assert.Equal(4 * 4, metrics.RootElement.GetProperty("improvements").GetArrayLength());
        // A higher threshold keeps fewer peaks, so clusterisation finds fewer clusters.
        var methods = metrics.RootElement.GetProperty("methods");
        Assert.True(methods[6].GetProperty("overall").GetProperty("bias").GetDouble() < methods[5].GetProperty("overall").GetProperty("bias").GetDouble());
    }

    [Fact]
    public void The_constant_mean_baseline_is_the_mean_of_the_training_counts()
    {
        string report = _t.Folder.File("constant-report");
        var (exit, _, error) = CliHarness.Run("count", "--data", _t.Test, "--train-data", _t.Train, "--classical", "deriv", "--no-truth-peaks", "--out", report);
        Assert.True(exit == 0, error);
        double mean = Clusters(_t.Train).Average();
        double mae = Clusters(_t.Test).Average(c => Math.Abs(c - mean));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        var constant = metrics.RootElement.GetProperty("methods")[0];
        Assert.Equal("constant mean", constant.GetProperty("name").GetString());
        Assert.Equal(mae, constant.GetProperty("overall").GetProperty("mae").GetDouble(), 9);
    }

    [Fact]
    public void Pid_writes_separation_against_momentum_for_every_method()
    {
        string report = _t.Folder.File("pid");
        string[] args = ["pid", "--momenta", "5,20", "--tracks", "30", "--cells", "20", "--pool", "300", "--replicas", "3",
            "--methods", $"truth,deriv,{_t.Window},{_t.Count}", "--out", report];
        var (exit, output, error) = CliHarness.Run(args);
        Assert.True(exit == 0, error);
        Assert.Contains("ideal Poisson:", output);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json"))))
        {
            var methods = metrics.RootElement.GetProperty("methods").EnumerateArray().ToList();
            Assert.Equal(["truth", "DERIV + clusterisation", "window transformer + clusterisation", "count transformer on DERIV"],
                methods.Select(m => m.GetProperty("name").GetString()));
            Assert.All(methods, m => Assert.Equal(2, m.GetProperty("points").GetArrayLength()));
            double ideal = methods[0].GetProperty("points")[0].GetProperty("ideal_separation").GetDouble();
            double length = metrics.RootElement.GetProperty("track_length_cm").GetDouble();
            Assert.Equal(Peakformer.DriftChamber.Identification.Separation.IdealPoisson(
                Peakformer.DriftChamber.Physics.Particle.Pion, Peakformer.DriftChamber.Physics.Particle.Kaon, 5, length), ideal, 9);
            var comparisons = metrics.RootElement.GetProperty("comparisons").EnumerateArray().Select(c => (c.GetProperty("method").GetString(), c.GetProperty("reference").GetString())).ToList();
            Assert.Contains(("count transformer on DERIV", "DERIV + clusterisation"), comparisons);
            Assert.Contains(("truth", "ideal Poisson"), comparisons);
        }
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Contains("src=\"separation.svg\"", html);
        Assert.Contains("src=\"distribution_3.svg\"", html);
        var again = CliHarness.Run(args);
        Assert.Equal(1, again.Exit);
        Assert.Contains("folder is not empty (use --force to replace an output Peakformer wrote)", again.Error);
    }

    [Fact]
    public void Bad_pid_and_count_input_is_a_one_line_error()
    {
        string Out(string name) => _t.Folder.File(name);
        Expect(CliHarness.Run("pid", "--momenta", "5,-2", "--out", Out("p1")), "--momenta: expected a momentum in [");
        Expect(CliHarness.Run("pid", "--momenta", "5,fast", "--out", Out("p1")), "--momenta: expected comma-separated momenta in GeV/c, found 'fast'");
        Expect(CliHarness.Run("pid", "--particles", "pion,unicorn", "--out", Out("p1")), "--particles: expected one of pion, kaon");
        Expect(CliHarness.Run("pid", "--particles", "pion", "--out", Out("p1")), "--particles: expected two different particles");
        Expect(CliHarness.Run("pid", "--particles", "kaon,kaon", "--out", Out("p1")), "--particles: expected two different particles");
        Expect(CliHarness.Run("pid", "--tracks", "5", "--out", Out("p1")), "--tracks: a separation needs the spread of at least 10 tracks per particle, found 5");
        Expect(CliHarness.Run("pid", "--methods", "truth,magic", "--out", Out("p1")), "--methods: expected truth, truth-peaks, deriv, d2");
        Expect(CliHarness.Run("pid", "--methods", "deriv:8,1", "--out", Out("p1")), "expected deriv:N1,N2,N3,N4 or d2:T1,T2");
        Expect(CliHarness.Run("pid", "--methods", $"{_t.Window}@1.5", "--out", Out("p1")), "--methods: expected MODEL@THRESHOLD with a threshold in (0, 1)");
        Expect(CliHarness.Run("pid", "--methods", $"{_t.Count}@0.9", "--out", Out("p1")), "is a count model, which takes no @threshold");
        Expect(CliHarness.Run("count", "--data", _t.Test, "--peak-models", $"{_t.Window}@0", "--out", Out("c1")), "--peak-models: expected MODEL@THRESHOLD");

        // A checkpoint of some other model: an engine checkpoint that is not a peak or count model.
        string other = Out("other.safetensors");
        var linear = new Peakformer.Engine.Layers.Linear(2, 1, new Peakformer.Engine.Randomness.Rng(1));
        Peakformer.Engine.Checkpoints.Checkpoint.Save(other, linear, "demo-classifier", "{}");
        Expect(CliHarness.Run("pid", "--methods", $"truth,{other}", "--tracks", "10", "--pool", "100", "--momenta", "5", "--out", Out("p1")),
            "a demo-classifier model, expected a peak model");

        // A model trained for another task.
        Expect(CliHarness.Run("count", "--data", _t.Test, "--models", _t.Window, "--out", Out("c1")), "not a Peakformer cluster-count model (its task is window");
        Expect(CliHarness.Run("train", "--task", "count", "--data", _t.Train, "--out", Out("c.safetensors")), "--peaks-from: the count transformer reads found peaks");
        Expect(CliHarness.Run("train", "--task", "count", "--model", "onestep", "--peaks-from", "deriv", "--data", _t.Train, "--out", Out("c.safetensors")),
            "--peaks-from: the one-step counter reads the waveform itself");
        Expect(CliHarness.Run("train", "--task", "count", "--peaks-from", _t.Count, "--data", _t.Train, "--out", Out("c.safetensors")), "not a Peakformer peak model (its task is count");
        Assert.False(Directory.Exists(Out("p1")) || Directory.Exists(Out("c1")) || File.Exists(Out("c.safetensors")));
    }

    private static void Expect((int Exit, string Output, string Error) r, string message)
    {
        Assert.True(r.Exit == 1, r.Output + r.Error);
        Assert.Contains(message, r.Error);
        Assert.StartsWith("error: ", r.Error);
    }
}
