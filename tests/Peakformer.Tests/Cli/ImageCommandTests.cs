using System.Text.Json;
using Peakformer.Data.Images;
using Peakformer.Data.Npy;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;
using Peakformer.Tests.Support;
using Peakformer.Vision.Models;

namespace Peakformer.Tests.Cli;

/// <summary>
/// train, evaluate and predict for the image task, end to end on a small synthetic IDX set of three easily told
/// patterns (top half bright, left half bright, dark), with a tiny Vision Transformer.
/// </summary>
public class ImageCommandTests
{
    private const string Tiny = "{\"patch_size\": 7, \"layers\": 1, \"heads\": 2, \"model\": 16, \"feed_forward\": 32}";
    private const int Size = 28;

    internal static void Ok((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

    /// <summary>One line on stderr, non-zero exit, mentioning <paramref name="expected"/>.</summary>
    internal static void OneLineError((int Exit, string Output, string Error) r, string expected)
    {
        Assert.NotEqual(0, r.Exit);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.Contains(expected, r.Error);
    }

    /// <summary>Images of class i % 3 with noise, as an MNIST-layout folder (train- and t10k- files; a tenth of the test labels wrong).</summary>
    internal static string WriteSet(TempFolder folder, int train, int test, int size = Size, string name = "shapes")
    {
        string dir = Path.Combine(folder.Path, name);
        Directory.CreateDirectory(dir);
        var rng = new Rng(11);
        foreach (var (prefix, n) in new[] { ("train", train), ("t10k", test) })
        {
            var pixels = new byte[n * size * size];
            var labels = new byte[n];
            for (int i = 0; i < n; i++)
            {
                labels[i] = (byte)(i % 3);
                for (int y = 0; y < size; y++)
                    for (int x = 0; x < size; x++)
                    {
                        bool on = labels[i] switch { 0 => y < size / 2, 1 => x < size / 2, _ => false };
                        pixels[(i * size + y) * size + x] = (byte)((on ? 180 : 20) + rng.NextInt(60));
                    }
                // Every tenth test image carries a wrong label, so the accuracy is below 1 and the recount must match
                // which images were right, not only that all were.
                if (prefix == "t10k" && i % 10 == 9) labels[i] = (byte)((labels[i] + 1) % 3);
            }
            IdxFile.Write(Path.Combine(dir, $"{prefix}-images-idx3-ubyte"), NpyArray.Of(pixels, n, size, size));
            IdxFile.Write(Path.Combine(dir, $"{prefix}-labels-idx1-ubyte"), NpyArray.Of(labels, n));
        }
        File.WriteAllLines(Path.Combine(dir, "classes.txt"), ["top", "left", "dark"]);
        return dir;
    }

    internal static string[] Train(string data, string output, int epochs, params string[] more) =>
        ["train", "--task", "image", "--model", "vit", "--data", data, "--out", output, "--model-config", Tiny, "--epochs", epochs.ToString(),
         "--lr", "3e-3", "--batch", "16", "--warmup-epochs", "0", "--seed", "5", .. more];

    /// <summary>Predicted classes computed here from the model and the raw file: (x/255 - 0.5) / 0.5, forward, argmax.</summary>
    private static int[] PredictByHand(VisionTransformer model, string data)
    {
        var images = IdxFile.Read(Path.Combine(data, "t10k-images-idx3-ubyte"));
        var raw = (byte[])images.Values;
        int n = (int)images.Shape[0], pixels = Size * Size, k = model.Config.Classes;
        var tape = new Tape(gradients: false);
        var x = tape.Empty(new Shape(n, pixels));
        for (int i = 0; i < raw.Length; i++) x.Data[i] = (raw[i] / 255f - 0.5f) / 0.5f;
        var logits = model.Forward(tape, x).Data;
        var predicted = new int[n];
        for (int i = 0; i < n; i++)
            for (int c = 1; c < k; c++)
                if (logits[i * k + c] > logits[i * k + predicted[i]]) predicted[i] = c;
        return predicted;
    }

    [Fact]
    public void Train_evaluate_and_predict_agree_with_an_independent_recount()
    {
        using var folder = new TempFolder();
        string data = WriteSet(folder, 600, 90);
        string model = folder.File("vit.safetensors");
        Ok(CliHarness.Run(Train(data, model, 3)));

        // Strict load: every name and shape as the model builds them, no extra or missing tensor.
        var (vit, info) = ImageCheckpoint.Load(model);
        Assert.Equal(["top", "left", "dark"], info.ClassNames);
        Assert.Equal((1, Size, Size), (info.Channels, info.Height, info.Width));
        Assert.Equal(3, vit.Config.Classes);
        Assert.Equal([1, 2, 3], info.History.Select(e => e.Epoch));
        Assert.Equal(Checkpoint.Entries(vit).Select(e => e.Name).Order(), SafeTensorsFile.Read(model).Tensors.Select(t => t.Name).Order());

        var truth = ((byte[])IdxFile.Read(Path.Combine(data, "t10k-labels-idx1-ubyte")).Values).Select(b => (int)b).ToArray();
        var mine = PredictByHand(vit, data);
        double recount = mine.Zip(truth).Count(p => p.First == p.Second) / (double)truth.Length;
        Assert.True(recount is > 0.75 and < 1, $"accuracy {recount}: expected well above chance (1/3) and below 1 (a tenth of the labels are wrong)");

        string report = folder.File("report");
        Ok(CliHarness.Run("evaluate", "--task", "image", "--data", data, "--models", model, "--out", report));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        var first = metrics.RootElement.GetProperty("models")[0];
        Assert.Equal(recount, first.GetProperty("accuracy").GetDouble(), 12);
        Assert.Equal(3, first.GetProperty("confusion").GetArrayLength());
        long diagonal = Enumerable.Range(0, 3).Sum(c => first.GetProperty("confusion")[c][c].GetInt64());
        Assert.Equal(mine.Zip(truth).Count(p => p.First == p.Second), diagonal);
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Contains("confusion matrix", html);
        Assert.Contains("<th>left</th>", html);
        Assert.True(File.Exists(Path.Combine(report, "training_loss_0.svg")));

        string csv = folder.File("preds.csv");
        Ok(CliHarness.Run("predict", "--model", model, "--in", data, "--out", csv));
        var lines = File.ReadAllLines(csv);
        Assert.Equal("index,label,predicted,p_top,p_left,p_dark", lines[0]);
        Assert.Equal(mine, lines.Skip(1).Select(l => int.Parse(l.Split(',')[2])).ToArray());
        Assert.Equal(truth, lines.Skip(1).Select(l => int.Parse(l.Split(',')[1])).ToArray());

        // Images of another shape than the checkpoint's: one line naming both.
        string small = WriteSet(folder, 30, 30, size: 14, name: "small");
        OneLineError(CliHarness.Run("evaluate", "--task", "image", "--data", small, "--models", model, "--out", folder.File("bad")), "1x14x14");
    }

    [Fact]
    public void Bad_inputs_are_one_line_errors()
    {
        using var folder = new TempFolder();
        string data = WriteSet(folder, 30, 30);
        OneLineError(CliHarness.Run(["train", "--task", "image", "--model", "transformer", "--data", data, "--out", folder.File("m.safetensors")]), "--model");
        OneLineError(CliHarness.Run(["train", "--task", "image", "--model", "vit", "--data", data, "--out", folder.File("m.safetensors"),
            "--model-config", "{\"classes\": 5}"]), "classes");

        // A peak model given to the image evaluation.
        string peak = folder.File("peak.safetensors");
        var window = DriftChamberModels.Create("window-transformer", null, new Rng(1));
        PeakCheckpoint.Save(peak, window, new PeakModelInfo { Task = DriftChamberModels.WindowTask });
        OneLineError(CliHarness.Run("evaluate", "--task", "image", "--data", data, "--models", peak, "--out", folder.File("r")), "not a Peakformer image model");
    }

    [Fact]
    public void Stopped_after_one_epoch_and_resumed_to_two_equals_two_epochs_bit_for_bit()
    {
        // Dropout and the shift augmentation on, so the generators and the per-epoch draws must resume too. No
        // cosine schedule: its length is the epoch count, which the "killed" run did not share.
        using var folder = new TempFolder();
        string data = WriteSet(folder, 60, 3);
        const string dropout = "{\"patch_size\": 7, \"layers\": 1, \"heads\": 2, \"model\": 16, \"feed_forward\": 32, \"dropout\": 0.1}";
        string[] Run(string output, int epochs, params string[] more) =>
            Train(data, output, epochs, ["--schedule", "none", .. more]).Select(a => a == Tiny ? dropout : a).ToArray();
        string whole = folder.File("whole.safetensors"), parts = folder.File("parts.safetensors");
        Ok(CliHarness.Run(Run(whole, 2)));
        Ok(CliHarness.Run(Run(parts, 1)));
        Ok(CliHarness.Run(Run(parts, 2, "--resume")));
        foreach (var (a, b) in new[] { (whole, parts), (TrainState.PathFor(whole), TrainState.PathFor(parts)) })
        {
            var x = SafeTensorsFile.Read(a).Tensors.ToDictionary(t => t.Name, t => t.Values);
            var y = SafeTensorsFile.Read(b).Tensors.ToDictionary(t => t.Name, t => t.Values);
            Assert.Equal(x.Keys.Order(), y.Keys.Order());
            foreach (var (name, values) in x) Assert.True(values.AsSpan().SequenceEqual(y[name]), $"{Path.GetFileName(a)}: {name} differs between 2 epochs and 1 + 1");
        }
    }
}
