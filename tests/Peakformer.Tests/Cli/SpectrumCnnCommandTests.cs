using System.Text.Json;
using Peakformer.Data.Npy;
using Peakformer.Engine.Checkpoints;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Tests.Hostile;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>
/// The 1D CNN through the spectrum task (train, evaluate, predict), and the spectrum task reading every input format of
/// SpectrumSetReader: .npy pairs and CSVs for training, and spectra without labels for predict.
/// </summary>
public class SpectrumCnnCommandTests
{
    /// <summary>Two small blocks: a quick model for 200-point spectra.</summary>
    private const string SmallCnn = "{\"channels\": [4, 8], \"pool\": 2}";

    private static void Simulate(TempFolder folder, string name, string seed)
    {
        var (exit, output, error) = CliHarness.Run(["simulate", "--domain", "raman", "--spectra", "120", "--points", "200", "--classes", "3", "--seed", seed,
            "--class-seed", "1", "--out", folder.File(name)]);
        Assert.True(exit == 0, error + output);
    }

    private static void Run(params string[] args)
    {
        var (exit, output, error) = CliHarness.Run(args);
        Assert.True(exit == 0, error + output);
    }

    private static void WriteNpy(string path, NpyArray array)
    {
        using var stream = File.Create(path);
        NpyFormat.Write(stream, array);
    }

    [Fact]
    public void The_cnn_trains_through_the_cli_and_its_checkpoint_is_evaluated_and_predicted_in_eval_mode()
    {
        using var folder = new TempFolder();
        Simulate(folder, "train.npz", "1");
        Simulate(folder, "test.npz", "2");
        string cnn = folder.File("cnn.safetensors");
        Run("train", "--task", "spectrum", "--model", "cnn", "--data", folder.File("train.npz"), "--out", cnn, "--epochs", "4", "--warmup-epochs", "1",
            "--preprocess", "minmax", "--model-config", SmallCnn, "--threads", "1");

        // Strict load with buffers: the running statistics are in the checkpoint, and those of the kept epoch
        // (96 training spectra in batches of 64: 2 batches per epoch).
        var (tensors, _) = SafeTensorsFile.Read(cnn);
        var (model, kind, info) = SpectrumCheckpoint.Load(cnn);
        Assert.Equal(SpectrumModels.Cnn, kind);
        Assert.False(model.Module.Training);
        Assert.Equal(2f * info.BestEpoch, tensors.Single(t => t.Name == "features.1.num_batches_tracked").Values[0]);
        Assert.Contains(tensors, t => t.Name == "features.1.running_var");
        string damaged = folder.File("no-buffer.safetensors");
        var metadata = SafeTensorsFile.Read(cnn).Metadata;
        SafeTensorsFile.Write(damaged, tensors.Where(t => t.Name != "features.5.running_mean"), metadata);
        var e = Assert.ThrowsAny<Exception>(() => SpectrumCheckpoint.Load(damaged));
        Assert.Contains("features.5.running_mean", e.Message);

        // predict: the logits of the model in eval mode (its allocation-free path), the checkpoint's minmax applied.
        Run("predict", "--model", cnn, "--data", folder.File("test.npz"), "--out", folder.File("p.csv"));
        var test = SpectrumSetFile.Read(folder.File("test.npz"));
        var values = (float[])test.Values.Clone();
        for (int i = 0; i < test.Count; i++)
        {
            var row = values.AsSpan(i * test.Length, test.Length);
            float min = float.MaxValue, max = float.MinValue;
            foreach (float v in row) { min = Math.Min(min, v); max = Math.Max(max, v); }
            for (int k = 0; k < row.Length; k++) row[k] = (row[k] - min) / (max - min);
        }
        var logits = new float[test.Count * 3];
        ((SpectrumCnn)model).Logits(values, test.Count, logits);
        var expected = Peakformer.Learning.Metrics.ArgMax.Rows(logits, 3);
        var rows = File.ReadAllLines(folder.File("p.csv"));
        Assert.Equal(test.Count + 1, rows.Length);
        Assert.Equal(expected, rows.Skip(1).Select(r => int.Parse(r.Split(',')[2])).ToArray());

        Run("evaluate", "--models", cnn, "--data", folder.File("test.npz"), "--out", folder.File("report"));
        var metrics = JsonDocument.Parse(File.ReadAllText(folder.File("report/metrics.json"))).RootElement;
        var only = Assert.Single(metrics.GetProperty("models").EnumerateArray());
        Assert.Equal("spectrum-cnn", only.GetProperty("kind").GetString());
        Assert.Equal(200, only.GetProperty("saliency").GetArrayLength());
        Assert.True(File.Exists(folder.File("report/saliency_0.svg")));
    }

    [Fact]
    public void Train_evaluate_and_predict_read_npy_pairs_and_csvs_and_predict_reads_spectra_without_labels()
    {
        using var folder = new TempFolder();
        Simulate(folder, "train.npz", "1");
        Simulate(folder, "test.npz", "2");
        var train = SpectrumSetFile.Read(folder.File("train.npz"));
        var test = SpectrumSetFile.Read(folder.File("test.npz"));
        // Training from an .npy pair with its axis beside it.
        Directory.CreateDirectory(folder.File("npy"));
        WriteNpy(folder.File("npy/X_train.npy"), new NpyArray(NpyType.Float32, [train.Count, train.Length], train.Values));
        WriteNpy(folder.File("npy/y_train.npy"), new NpyArray(NpyType.Int64, [train.Count], train.Labels.Select(l => (long)l).ToArray()));
        WriteNpy(folder.File("npy/wavenumbers.npy"), new NpyArray(NpyType.Float64, [train.Length], train.Wavenumbers));
        string logreg = folder.File("logreg.safetensors");
        Run("train", "--task", "spectrum", "--model", "logreg", "--data", folder.File("npy/X_train.npy"), "--out", logreg, "--epochs", "3", "--threads", "1");

        // The test set as X alone (no y beside it) and as a CSV without a label column, and as a CSV with one.
        Directory.CreateDirectory(folder.File("unlabelled"));
        WriteNpy(folder.File("unlabelled/X_test.npy"), new NpyArray(NpyType.Float64, [test.Count, test.Length], test.Values.Select(v => (double)v).ToArray()));
        WriteNpy(folder.File("unlabelled/wavenumbers.npy"), new NpyArray(NpyType.Float64, [test.Length], test.Wavenumbers));
        string header = string.Join(",", test.Wavenumbers.Select(w => w.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
        var lines = Enumerable.Range(0, test.Count).Select(i => string.Join(",", test.Spectrum(i).ToArray().Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        File.WriteAllLines(folder.File("bare.csv"), [header, .. lines]);
        File.WriteAllLines(folder.File("labelled.csv"), ["label," + header, .. lines.Select((l, i) => test.ClassNames[test.Labels[i]] + "," + l)]);

        Run("predict", "--model", logreg, "--data", folder.File("test.npz"), "--out", folder.File("npz.csv"));
        Run("predict", "--model", logreg, "--data", folder.File("unlabelled/X_test.npy"), "--out", folder.File("npy.csv"));
        Run("predict", "--model", logreg, "--data", folder.File("bare.csv"), "--out", folder.File("csv.csv"));
        var labelled = File.ReadAllLines(folder.File("npz.csv"));
        Assert.StartsWith("index,label,predicted,", labelled[0]);
        // Without labels: the same rows without the label column.
        var withoutLabel = labelled.Select(r => { var f = r.Split(','); return string.Join(",", f.Take(1).Concat(f.Skip(2))); }).ToArray();
        Assert.Equal(withoutLabel, File.ReadAllLines(folder.File("npy.csv")));
        Assert.Equal(withoutLabel, File.ReadAllLines(folder.File("csv.csv")));

        // evaluate reads the labelled CSV; spectra without labels are refused there in one line naming the labels.
        Run("evaluate", "--models", logreg, "--data", folder.File("labelled.csv"), "--out", folder.File("report"));
        var (exit, output, error) = CliHarness.Run("evaluate", "--models", logreg, "--data", folder.File("unlabelled/X_test.npy"), "--out", folder.File("report2"));
        Assert.Equal(1, exit);
        Assert.Contains("labels", error + output);
        Assert.False(Directory.Exists(folder.File("report2")));
    }

    [Fact]
    public void Bf16_training_is_recorded_in_the_checkpoint_and_a_resume_keeps_it()
    {
        using var folder = new TempFolder();
        Simulate(folder, "train.npz", "1");
        string[] common = ["train", "--task", "spectrum", "--model", "cnn", "--data", folder.File("train.npz"), "--warmup-epochs", "1",
            "--model-config", SmallCnn, "--threads", "1"];
        string bf16 = folder.File("bf16.safetensors"), fp32 = folder.File("fp32.safetensors");
        Run([.. common, "--epochs", "2", "--precision", "bf16", "--out", bf16]);
        Run([.. common, "--epochs", "2", "--out", fp32]);
        // The float32 run's settings are written as before (no precision key); the bf16 run says so.
        Assert.Contains(SafeTensorsFile.Read(bf16).Metadata.Values, v => v.Contains("\"precision\":\"bf16\""));
        Assert.DoesNotContain(SafeTensorsFile.Read(fp32).Metadata.Values, v => v.Contains("\"precision\":\""));
        // Bfloat16 products give other weights than float32 ones from the same seed.
        var w16 = SafeTensorsFile.Read(bf16).Tensors.Single(t => t.Name == "features.0.weight").Values;
        var w32 = SafeTensorsFile.Read(fp32).Tensors.Single(t => t.Name == "features.0.weight").Values;
        Assert.NotEqual(w32, w16);
        string error = Bounded.CleanError([.. common, "--epochs", "3", "--resume", "--out", bf16]);
        Assert.StartsWith($"error: {bf16}.state: the run started with ", error);
        Assert.Contains("recision \"bf16\" (now null)", error);
        Run([.. common, "--epochs", "3", "--resume", "--precision", "bf16", "--out", bf16]);
    }
}
