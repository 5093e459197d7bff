using System.Text.Json;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Metrics;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Evaluation;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Preprocessing;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Tests.Hostile;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>train --task spectrum, evaluate and predict on spectrum checkpoints, end to end on small simulated sets.</summary>
public class SpectrumCommandTests
{
    private const string Steps = "despike,als:1e4:0.01,minmax";

    private static void Simulate(TempFolder folder, string name, string seed, params string[] more)
    {
        var (exit, output, error) = CliHarness.Run(["simulate", "--domain", "raman", "--spectra", "120", "--points", "200", "--classes", "3", "--seed", seed,
            "--class-seed", "1", "--out", folder.File(name), .. more]);
        Assert.True(exit == 0, error + output);
    }

    private static string Train(TempFolder folder, string model, params string[] more)
    {
        string path = folder.File($"{model}.safetensors");
        var (exit, output, error) = CliHarness.Run(["train", "--task", "spectrum", "--model", model, "--data", folder.File("train.npz"), "--out", path,
            "--threads", "1", .. more]);
        Assert.True(exit == 0, error + output);
        return path;
    }

    [Fact]
    public void A_trained_pipeline_is_applied_again_by_predict_and_evaluate_writes_its_report()
    {
        using var folder = new TempFolder();
        Simulate(folder, "train.npz", "1");
        Simulate(folder, "test.npz", "2");
        string logreg = Train(folder, "logreg", "--epochs", "5", "--preprocess", Steps);
        string knn = Train(folder, "knn", "--preprocess", Steps);
        string transformer = Train(folder, "transformer", "--epochs", "2", "--warmup-epochs", "1", "--augment", "roll=2,noise=0.01,mixup=0.2",
            "--model-config", "{\"patch_size\": 20, \"layers\": 1, \"model\": 16, \"feed_forward\": 32}");

        var (exit, output, error) = CliHarness.Run("predict", "--model", logreg, "--data", folder.File("test.npz"), "--out", folder.File("p.csv"));
        Assert.True(exit == 0, error + output);
        Assert.Contains("preprocessed as the model was trained: despike:6:3,als:10000:0.01:10,minmax", output);
        // The CLI's classes equal the model applied by hand to spectra preprocessed by hand.
        var (model, _, info) = SpectrumCheckpoint.Load(logreg);
        var set = PreprocessingPipeline.Parse(Steps, "test").Apply(SpectrumSetFile.Read(folder.File("test.npz")), NullProgress.Instance, "test");
        var tape = new Tape(gradients: false);
        var logits = model.Forward(tape, tape.From(set.Values, new Shape(set.Count, set.Length))).ToArray();
        var expected = ArgMax.Rows(logits, 3);
        var rows = File.ReadAllLines(folder.File("p.csv"));
        Assert.Equal("index,label,predicted,predicted_name,p_class_00,p_class_01,p_class_02", rows[0]);
        Assert.Equal(121, rows.Length);
        Assert.Equal(expected, rows.Skip(1).Select(r => int.Parse(r.Split(',')[2])).ToArray());
        Assert.Equal("despike:6:3,als:10000:0.01:10,minmax", info.Preprocessing);

        (exit, output, error) = CliHarness.Run("evaluate", "--model", $"{logreg},{knn},{transformer}", "--data", folder.File("test.npz"), "--out", folder.File("report"));
        Assert.True(exit == 0, error + output);
        var metrics = JsonDocument.Parse(File.ReadAllText(folder.File("report/metrics.json"))).RootElement;
        Assert.Equal("spectrum", metrics.GetProperty("task").GetString());
        var models = metrics.GetProperty("models").EnumerateArray().ToList();
        Assert.Equal(["spectrum-logreg", "spectrum-knn", "spectrum-transformer"], models.Select(m => m.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Null, models[1].GetProperty("saliency").ValueKind);
        Assert.Equal(200, models[0].GetProperty("saliency").GetArrayLength());
        foreach (string figure in new[] { "examples_raw.svg", "examples_preprocessed.svg", "class_mean_0.svg", "saliency_0.svg", "training_loss_2.svg" })
            Assert.True(File.Exists(folder.File($"report/{figure}")), figure);
        string html = File.ReadAllText(folder.File("report/index.html"));
        Assert.Contains("class_02", html);
        Assert.Contains("true \\ predicted", html);
    }

    // --shard splits waveform work; a spectrum model's predict would otherwise ignore it and write every row, no status.
    [Fact]
    public void Predict_with_a_spectrum_model_refuses_shard()
    {
        using var folder = new TempFolder();
        Simulate(folder, "train.npz", "1");
        string knn = Train(folder, "knn");
        string error = Bounded.CleanError("predict", "--model", knn, "--data", folder.File("train.npz"), "--out", folder.File("p.csv"), "--shard", "0/2");
        Assert.Contains("--shard", error);
        Assert.False(File.Exists(folder.File("p.csv")));
    }

    [Fact]
    public void Spectra_on_another_grid_are_one_line_naming_both_grids_unless_the_pipeline_resamples()
    {
        using var folder = new TempFolder();
        Simulate(folder, "train.npz", "1");
        Simulate(folder, "other.npz", "2", "--range", "250:1950");
        string plain = Train(folder, "logreg", "--epochs", "1");
        string error = Bounded.CleanError("predict", "--model", plain, "--data", folder.File("other.npz"), "--out", folder.File("p.csv"));
        Assert.Equal($"error: {folder.File("other.npz")}: spectra on 200 points 250..1950 cm^-1, the model {plain} reads 200 points 200..2000 cm^-1: " +
            "resample them onto its grid (preprocess --steps resample:...) or train on theirs", error);
        Assert.False(File.Exists(folder.File("p.csv")));
        // A pipeline that resamples onto a common grid takes either.
        string resampling = Train(folder, "knn", "--preprocess", "resample:300:1800:151,minmax");
        var (exit, output, err) = CliHarness.Run("predict", "--model", resampling, "--data", folder.File("other.npz"), "--out", folder.File("p.csv"));
        Assert.True(exit == 0, err + output);
    }

    [Theory]
    [InlineData("knn", "--augment", "roll=2", "error: --augment: expected a model that learns (spectrum-knn stores the training spectra as they are), found roll=2")]
    [InlineData("logreg", "--augment", "roll=200", "error: --augment roll: expected fewer bins than the spectrum's 200, found 200")]
    [InlineData("logreg", "--precision", "fp16", "error: --precision: expected fp32 or bf16, found 'fp16'")]
    [InlineData("logreg", "--preprocess", "savgol:10:3", "error: --preprocess: step 1 'savgol:10:3': WINDOW: expected an odd number of points, found 10")]
    [InlineData("logreg", "--model-config", "{\"classes\": 4}", "error: --model-config: classes: expected 3 (from")]
    public void Bad_spectrum_training_input_is_one_line(string model, string option, string value, string expected)
    {
        using var folder = new TempFolder();
        Simulate(folder, "train.npz", "1");
        string error = Bounded.CleanError("train", "--task", "spectrum", "--model", model, "--data", folder.File("train.npz"), "--out", folder.File("m.safetensors"),
            "--threads", "1", option, value);
        Assert.StartsWith(expected, error);
        Assert.DoesNotContain('\n', error);
        Assert.False(File.Exists(folder.File("m.safetensors")));
    }

    [Fact]
    public void Spectrum_options_on_another_task_are_refused()
    {
        using var folder = new TempFolder();
        Assert.Equal("error: --preprocess and --augment belong to the spectrum task (--task spectrum)",
            Bounded.CleanError("train", "--task", "image", "--model", "vit", "--data", folder.File("x"), "--out", folder.File("m.safetensors"), "--preprocess", "minmax"));
    }
}
