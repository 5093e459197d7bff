using System.Text.Json;
using Peakformer.Data;
using Peakformer.Data.Npy;
using Peakformer.DriftChamber.Windows;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>train, evaluate and predict end to end on tiny data and models, and their error paths.</summary>
public class PeakCommandTests : IClassFixture<PeakCommandTests.Trained>
{
    private const string TinyTransformer = "{\"model\": 16, \"heads\": 2, \"layers\": 1, \"feed_forward\": 16, \"head_hidden\": 16}";
    private const string TinyPerBin = "{\"model\": 8, \"heads\": 2, \"layers\": 1, \"feed_forward\": 8, \"embedding_kernel\": 5}";

    /// <summary>Data and models shared by the tests of this class (trained once).</summary>
    public sealed class Trained : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Train => Folder.File("train.npz");
        public string Test => Folder.File("test.npz");
        public string Window => Folder.File("window.safetensors");
        public string PerBin => Folder.File("perbin.safetensors");

        public Trained()
        {
            Check(CliHarness.Run("simulate", "--events", "120", "--seed", "1", "--out", Train));
            Check(CliHarness.Run("simulate", "--events", "30", "--seed", "2", "--out", Test));
            Check(CliHarness.Run("train", "--task", "window", "--model", "transformer", "--data", Train, "--out", Window,
                "--model-config", TinyTransformer, "--epochs", "2", "--lr", "1e-3", "--min-auc", "0"));
            Check(CliHarness.Run("train", "--task", "perbin", "--data", Train, "--out", PerBin,
                "--model-config", TinyPerBin, "--epochs", "1", "--max-waveforms", "40", "--min-auc", "0"));
        }

        private static void Check((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

        public void Dispose() => Folder.Dispose();
    }

    private readonly Trained _t;

    public PeakCommandTests(Trained trained) => _t = trained;

    [Fact]
    public void Training_progress_names_the_model_so_the_runs_of_a_workflow_are_told_apart()
    {
        var (exit, output, error) = CliHarness.Run("train", "--task", "window", "--model", "transformer", "--data", _t.Train,
            "--out", _t.Folder.File($"label-{Guid.NewGuid():N}.safetensors"), "--model-config", TinyTransformer, "--epochs", "1", "--min-auc", "0");
        Assert.True(exit == 0, error);
        Assert.Contains("window-transformer: epoch 1/1: ", output);
        Assert.Contains("window-transformer: epoch 1: train loss ", output);
    }

    [Fact]
    public void Two_checkpoints_of_one_kind_in_one_report_are_told_apart_by_their_file_names()
    {
        string a = _t.Folder.File("a.safetensors"), b = _t.Folder.File("b.safetensors"), report = _t.Folder.File("two-report");
        File.Copy(_t.Window, a, overwrite: true);
        File.Copy(_t.Window, b, overwrite: true);
        var (exit, output, error) = CliHarness.Run("evaluate", "--data", _t.Test, "--models", $"{a},{b},{_t.PerBin}", "--classical", "", "--out", report);
        Assert.True(exit == 0, error);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        var finders = metrics.RootElement.GetProperty("finders").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["window transformer (a.safetensors)", "window transformer (b.safetensors)", "per-bin transformer"], finders);
        var windowLevel = metrics.RootElement.GetProperty("window_level").EnumerateArray().Select(f => f.GetProperty("model").GetString()).ToList();
        Assert.Equal(["window transformer (a.safetensors)", "window transformer (b.safetensors)", "per-bin transformer"], windowLevel);
        Assert.Contains("window transformer (b.safetensors): window ROC AUC", output);
    }

    [Fact]
    public void Evaluate_writes_an_html_report_and_every_number_as_json()
    {
        string report = _t.Folder.File("report");
        var (exit, output, error) = CliHarness.Run("evaluate", "--data", _t.Test, "--models", $"{_t.Window},{_t.PerBin}",
            "--classical", "deriv,d2", "--tune-data", _t.Train, "--out", report);
        Assert.True(exit == 0, error);
        Assert.Contains("window transformer: window ROC AUC", output);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        foreach (var figure in new[] { "roc.svg", "roc_log.svg", "efficiency_purity.svg", "efficiency_pileup.svg", "residuals.svg", "waveform_0.svg", "training_loss_0.svg" })
        {
            Assert.Contains($"src=\"{figure}\"", html);
            Assert.True(File.Exists(Path.Combine(report, figure)), figure);
        }
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        var finders = metrics.RootElement.GetProperty("finders").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        Assert.Equal(["DERIV", "D2", "window transformer", "per-bin transformer"], finders);
        double auc = metrics.RootElement.GetProperty("window_level")[0].GetProperty("auc").GetDouble();
        Assert.InRange(auc, 0.5, 1.0);
        Assert.Equal(30, metrics.RootElement.GetProperty("waveforms").GetInt32());
    }

    [Fact]
    public void A_window_table_is_recognised_whatever_the_case_of_its_header()
    {
        string csv = _t.Folder.File("w-case.csv"), lower = _t.Folder.File("w-lower.csv");
        Assert.Equal(0, CliHarness.Run("windows", "--in", _t.Test, "--out", csv).Exit);
        var lines = File.ReadAllLines(csv);
        File.WriteAllLines(lower, [lines[0].ToLowerInvariant(), .. lines[1..]]);
        string a = _t.Folder.File("scores-case.csv"), b = _t.Folder.File("scores-lower.csv");
        Assert.Equal(0, CliHarness.Run("predict", "--model", _t.Window, "--in", csv, "--out", a).Exit);
        var r = CliHarness.Run("predict", "--model", _t.Window, "--in", lower, "--out", b);
        Assert.True(r.Exit == 0, r.Error);
        Assert.Equal(File.ReadAllLines(a), File.ReadAllLines(b));
    }

    [Fact]
    public void Predict_scores_windows_and_finds_peaks()
    {
        string csv = _t.Folder.File("w.csv");
        Assert.Equal(0, CliHarness.Run("windows", "--in", _t.Test, "--out", csv).Exit);
        string scores = _t.Folder.File("scores.csv");
        Assert.Equal(0, CliHarness.Run("predict", "--model", _t.Window, "--in", csv, "--out", scores).Exit);
        var lines = File.ReadAllLines(scores);
        Assert.Equal("EvtNo,Time,ID,Score", lines[0]);
        Assert.Equal(File.ReadAllLines(csv).Length, lines.Length);
        string peaks = _t.Folder.File("peaks.csv");
        Assert.Equal(0, CliHarness.Run("predict", "--model", _t.PerBin, "--in", _t.Test, "--out", peaks, "--threshold", "0.3").Exit);
        Assert.Equal("event,sample,time_ns,score", File.ReadLines(peaks).First());
    }

    [Fact]
    public void Predict_with_a_pre_cut_gives_the_scorers_peaks_on_the_candidates_kept()
    {
        string all = _t.Folder.File("precut-all.csv"), zero = _t.Folder.File("precut-0.csv"), cut = _t.Folder.File("precut-3.csv");
        Assert.Equal(0, CliHarness.Run("predict", "--model", _t.Window, "--in", _t.Test, "--out", all, "--threshold", "0.3").Exit);
        Assert.Equal(0, CliHarness.Run("predict", "--model", _t.Window, "--in", _t.Test, "--out", zero, "--threshold", "0.3", "--pre-cut", "0").Exit);
        Assert.Equal(File.ReadAllBytes(all), File.ReadAllBytes(zero));
        var r = CliHarness.Run("predict", "--model", _t.Window, "--in", _t.Test, "--out", cut, "--threshold", "0.3", "--pre-cut", "3");
        Assert.True(r.Exit == 0, r.Error);

        // Expected: the unbatched scorer evaluate uses, on the candidates 3 noise rms above baseline, then the threshold.
        var (model, info) = Peakformer.DriftChamber.Models.PeakCheckpoint.Load(_t.Window);
        using var data = Peakformer.Data.Waveforms.WaveformDataset.Open(_t.Test);
        var waveforms = new float[data.Count * data.Samples];
        data.ReadWaveforms(0, data.Count, waveforms);
        var candidates = Peakformer.DriftChamber.Windows.CandidateFinder.Find(waveforms, data.Count, data.Samples, info.Windows);
        var kept = PreCut.At(3, data.SamplingNs).Apply(waveforms, data.Count, data.Samples, candidates);
        Assert.True(kept.Sum(c => c.Length) < candidates.Sum(c => c.Length), "the cut keeps fewer candidates");
        var (scored, _) = new Peakformer.DriftChamber.Finders.ModelScorer(model, info).Score(waveforms, data.Count, data.Samples, kept);
        var expected = Enumerable.Range(0, data.Count).SelectMany(w => scored[w].Above(0.3).Select(t => $"{w},{t}")).ToArray();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, File.ReadLines(cut).Skip(1).Select(line => string.Join(',', line.Split(',')[..2])).ToArray());
        Assert.NotEqual(File.ReadAllLines(all), File.ReadAllLines(cut));

        Expect(CliHarness.Run("predict", "--model", _t.PerBin, "--in", _t.Test, "--out", _t.Folder.File("p.csv"), "--pre-cut", "3"), "--pre-cut: expected a window model");
        Expect(CliHarness.Run("predict", "--model", "deriv", "--in", _t.Test, "--out", _t.Folder.File("p.csv"), "--pre-cut", "3"), "--pre-cut: expected peaks of whole waveforms from a window model");
        Expect(CliHarness.Run("predict", "--model", _t.Window, "--in", _t.Test, "--out", _t.Folder.File("p.csv"), "--pre-cut", "-1"), "--pre-cut");
    }

    [Fact]
    public void Wrong_models_data_and_thresholds_are_one_line_errors()
    {
        // A window CSV with 21-sample windows for a 15-sample model.
        string wide = _t.Folder.File("wide.csv");
        var set = new WindowSet(21);
        set.Add(0, 10, 1, 0, 1, new float[21]);
        set.Add(0, 12, 0, 0, 1, new float[21]);
        WindowCsv.Write(wide, [set], 21);
        Expect(CliHarness.Run("predict", "--model", _t.Window, "--in", wide, "--out", _t.Folder.File("x.csv")), "windows of 21 samples, the model");
        Expect(CliHarness.Run("train", "--data", wide, "--out", _t.Folder.File("x.safetensors")), "windows of 21 samples, the model expects 15");
        Expect(CliHarness.Run("train", "--task", "perbin", "--data", wide, "--out", _t.Folder.File("x.safetensors")), "the perbin task needs whole waveforms");
        Expect(CliHarness.Run("predict", "--model", _t.PerBin, "--in", wide, "--out", _t.Folder.File("x.csv")), "scores whole waveforms");
        Expect(CliHarness.Run("train", "--task", "sequence", "--data", _t.Train, "--out", _t.Folder.File("x.safetensors")), "--task: expected window, perbin, count, image, map, spectrum or tensor");

        // A dataset without truth.
        string bare = _t.Folder.File("bare.npz");
        using (var npz = new NpzWriter(bare))
        {
            npz.Add("waveforms", NpyArray.Of(new float[2 * 1200], 2, 1200));
            npz.Commit();
        }
        Expect(CliHarness.Run("evaluate", "--data", bare, "--models", _t.Window, "--out", _t.Folder.File("r2")), "evaluate needs Monte-Carlo truth");

        foreach (var t in new[] { "0", "1", "1.5", "-0.2" })
        {
            Expect(CliHarness.Run("evaluate", "--data", _t.Test, "--classical", "deriv", "--threshold", t, "--out", _t.Folder.File("r3")), "--threshold: expected a value in (0, 1)");
            Expect(CliHarness.Run("train", "--data", _t.Train, "--threshold", t, "--out", _t.Folder.File("y.safetensors")), "--threshold: expected a value in (0, 1)");
            Expect(CliHarness.Run("predict", "--model", _t.PerBin, "--in", _t.Test, "--threshold", t, "--out", _t.Folder.File("y.csv")), "--threshold: expected a value in (0, 1)");
        }

        // A safetensors file that is not a peak model.
        string foreign = _t.Folder.File("foreign.safetensors");
        Peakformer.Engine.Checkpoints.SafeTensorsFile.Write(foreign, [new("w", new Peakformer.Engine.Tensors.Shape(1), [1f])]);
        Expect(CliHarness.Run("evaluate", "--data", _t.Test, "--models", foreign, "--out", _t.Folder.File("r4")), "no Peakformer model description");
        Assert.False(Directory.Exists(_t.Folder.File("r2")) || Directory.Exists(_t.Folder.File("r3")) || Directory.Exists(_t.Folder.File("r4")));
        Assert.False(File.Exists(_t.Folder.File("x.csv")) || File.Exists(_t.Folder.File("y.csv")) || File.Exists(_t.Folder.File("x.safetensors")));
    }

    private static void Expect((int Exit, string Output, string Error) r, string message)
    {
        Assert.Equal(1, r.Exit);
        Assert.Contains(message, r.Error);
        Assert.StartsWith("error: ", r.Error);
    }
}
