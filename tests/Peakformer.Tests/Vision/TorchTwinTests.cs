using System.Text.Json;
using Peakformer.Data.Images;
using Peakformer.Data.Npy;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Models;
using Peakformer.Learning.Objectives;
using Peakformer.Learning.Splits;
using Peakformer.Learning.Training;
using Peakformer.Progress;
using Peakformer.Tests.Support;
using Peakformer.Vision.Data;
using Peakformer.Vision.Evaluation;
using Peakformer.Vision.Models;
using Xunit.Abstractions;

namespace Peakformer.Tests.Vision;

/// <summary>
/// The PyTorch twin (python/peakformer_torch.py, run by python/check_twin.py under Debian's PyTorch 1.13 and
/// torchvision 0.14): Peakformer checkpoints load into torchvision's VisionTransformer strictly and give Peakformer's
/// logits; the twin's checkpoints load and evaluate in Peakformer; python/train_vit_torch.py's port of the recipe
/// splits, shuffles, augments and schedules as Peakformer does.
/// </summary>
public class TorchTwinTests(ITestOutputHelper output)
{
    // Two channels and 4 x 4 patches of 12 x 12 images: the conv_proj built for C channels, and vit1d's
    // channel-major Conv1d layout, both show.
    private static readonly VisionTransformerConfig Small = SmallVit.Config;

    private const string SmallJson = """{"image_size": 12, "channels": 2, "patch_size": 4, "layers": 2, "heads": 2, "model": 16, "feed_forward": 32, "dropout": 0.0, "attention_dropout": 0.0, "classes": 5}""";

    [Theory]
    [InlineData(PatchGeometry.Square)]
    [InlineData(PatchGeometry.Raster)]
    public void A_Peakformer_checkpoint_gives_the_same_logits_in_torchvision_and_a_missing_tensor_is_refused(PatchGeometry geometry)
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        var model = SmallVit.Perturbed(geometry);
        string checkpoint = folder.File("pf.safetensors");
        ImageCheckpoint.Save(checkpoint, model, Info());
        var images = Images(new Rng(9), 4);
        WriteNpy(folder.File("images.npy"), images);

        var (code, _, error) = TorchPython.Run("check_twin.py", "logits", checkpoint, folder.File("images.npy"), folder.File("logits.npy"));
        Assert.True(code == 0, error);
        var expected = model.Forward(new Tape(gradients: false), images);
        var logits = ReadNpy(folder.File("logits.npy"));
        Assert.Equal([4, 5], logits.Shape);
        double difference = MaxDifference(expected.Data, (float[])logits.Values);
        output.WriteLine($"{geometry}: largest logit difference {difference:G3}, logits spread {Spread(expected.Data):G3}");
        Assert.InRange(difference, 0, 1e-4);
        Assert.True(Spread(expected.Data) > 0.5, "the logits differ between images and classes");

        var (tensors, metadata) = SafeTensorsFile.Read(checkpoint);
        string partial = folder.File("partial.safetensors");
        SafeTensorsFile.Write(partial, tensors.Where(t => t.Name != "encoder.ln.bias"), metadata);
        (code, _, error) = TorchPython.Run("check_twin.py", "logits", partial, folder.File("images.npy"), folder.File("partial.npy"));
        Assert.Equal(1, code);
        Assert.Contains("encoder.ln.bias", error);
        Assert.Contains(partial, error);
        Assert.False(File.Exists(folder.File("partial.npy")));
    }

    [Theory]
    [InlineData("vit")]
    [InlineData("vit1d")]
    public void A_twin_saved_by_peakformer_torch_loads_and_evaluates_in_Peakformer(string kind)
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        // Pixels in [0, 1] for Peakformer's evaluation (it normalises), the same images normalised for the twin.
        var rng = new Rng(11);
        int n = 40, size = Small.Channels * Small.ImageSize * Small.ImageSize;
        var pixels = new float[n * size];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = rng.NextInt(256) / 255f;
        var labels = Enumerable.Range(0, n).Select(i => i % Small.Classes).ToArray();
        var normalised = new float[pixels.Length];
        ImageTransform.Normalise(pixels, normalised);
        WriteNpy(folder.File("images.npy"), Tensor.FromArray(normalised, new Shape(n, Small.Channels, Small.ImageSize, Small.ImageSize)));
        string checkpoint = folder.File("twin.safetensors");

        var (code, _, error) = TorchPython.Run("check_twin.py", "make", kind, SmallJson, "5", checkpoint, folder.File("images.npy"), folder.File("logits.npy"));
        Assert.True(code == 0, error);
        var (model, info) = ImageCheckpoint.Load(checkpoint);
        Assert.Equal(kind, model.Kind);
        Assert.Equal(Small, model.Config);
        var twin = (float[])ReadNpy(folder.File("logits.npy")).Values;
        var logits = model.Forward(new Tape(gradients: false), Tensor.FromArray(normalised, new Shape(n, size)));
        double difference = MaxDifference(logits.Data, twin);
        output.WriteLine($"{kind}: largest logit difference {difference:G3}");
        Assert.InRange(difference, 0, 1e-4);

        // evaluate --task image reads it: its accuracy is the twin's on the same images.
        string data = folder.File("test.npz");
        using (var writer = new NpzWriter(data))
        {
            writer.Add("images", NpyArray.Of(pixels, n, Small.Channels, Small.ImageSize, Small.ImageSize));
            writer.Add("labels", NpyArray.Of(labels, n));
            writer.Commit();
        }
        var result = ImageEvaluation.Run(ImageSetReader.Read(data, ImageSplit.Test), [checkpoint], NullProgress.Instance).Models.Single();
        int correct = 0;
        for (int i = 0; i < n; i++)
        {
            var row = twin.AsSpan(i * Small.Classes, Small.Classes);
            int best = 0;
            for (int c = 1; c < Small.Classes; c++) if (row[c] > row[best]) best = c;
            if (best == labels[i]) correct++;
        }
        Assert.Equal((double)correct / n, result.Accuracy, 12);
        Assert.Equal(info.ClassNames, Enumerable.Range(0, Small.Classes).Select(k => $"class {k}"));
        Assert.Equal((3, 2, true, 1, 0.25), (info.Settings.Epochs, info.Augmentation.MaxShift, info.Augmentation.HorizontalFlip, info.BestEpoch, info.History.Single().ValidationMetrics!["macro_f1"]));
    }

    [Theory]
    [InlineData(PatchGeometry.Square)]
    [InlineData(PatchGeometry.Raster)]
    public void One_AdamW_step_in_torchvision_and_in_Peakformer_gives_the_same_weights(PatchGeometry geometry)
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        var model = SmallVit.Perturbed(geometry);
        string checkpoint = folder.File("pf.safetensors");
        ImageCheckpoint.Save(checkpoint, model, Info());
        var images = Images(new Rng(12), 6);
        var labels = Tensor.FromArray(Enumerable.Range(0, 6).Select(i => (float)(i % Small.Classes)).ToArray(), new Shape(6));
        // The image recipe's rate and decay, at the rate itself (Peakformer's warm-up lowers epoch 1's; not its subject here).
        var settings = ModelKinds.All.Get(model.Kind, "vit").Recipe with { WarmupEpochs = 0 };

        var parameters = new ParameterSet(model);
        var step = Trainer.CreateOptimizer(parameters, settings);
        model.Train();
        var tape = new Tape();
        step.ZeroGrad();
        var loss = new MultiClassObjective(Small.Classes, labelSmoothing: VisionModels.LabelSmoothing).Loss(tape, model.Forward(tape, images), labels);
        tape.Backward(loss);
        var gradients = parameters.Grads.ToArray();
        step.Step();

        var twin = OptimiserStep.RunTwin(folder, checkpoint, images, labels, settings);
        var (scale, worstGradient, worstWeight, magnified, total) = OptimiserStep.Compare(parameters, gradients, twin.Tensors, settings.LearningRate);
        output.WriteLine($"{geometry}: loss {loss.Item():G6} here, {twin.Loss:G6} in torchvision; gradients: largest {scale:G3}, largest difference {worstGradient:G3}; " +
            $"weights: largest difference beyond the magnified rounding {worstWeight:G3} ({magnified} of {total} entries magnified above 1e-6)");
        Assert.InRange(Math.Abs(loss.Item() - twin.Loss), 0, 1e-5);
        Assert.InRange(worstGradient, 0, 1e-5 * Math.Max(1, scale));
        Assert.InRange(worstWeight, double.NegativeInfinity, 1e-5);
    }

    [Fact]
    public void The_training_scripts_recipe_splits_shuffles_augments_and_schedules_as_Peakformer()
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        const ulong seed = 20261130;
        const int n = 317, epochs = 7, warmup = 2, shift = 2;
        var rng = new Rng(3);
        // Uneven classes (one of a single image), so the per-class rounding of the split shows.
        var labels = Enumerable.Range(0, n).Select(i => i == 0 ? 5 : (int)(rng.NextDouble() * rng.NextDouble() * 5)).ToArray();
        var pixels = new float[n * 64];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = rng.NextInt(256) / 255f;
        WriteNpy(folder.File("labels.npy"), NpyArray.Of(labels, n));
        WriteNpy(folder.File("images.npy"), NpyArray.Of(pixels, n, 1, 8, 8));
        var (code, _, error) = TorchPython.Run("check_twin.py", "recipe", folder.File("labels.npy"), folder.File("images.npy"),
            seed.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{epochs}", $"{warmup}", $"{shift}", folder.File("recipe.json"), folder.File("augmented.npy"));
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("recipe.json")));
        var root = json.RootElement;
        int[] Ints(string name) => root.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();

        var (train, validation) = StratifiedSplit.Indices(labels, 0.1, seed);
        Assert.Equal(train, Ints("train"));
        Assert.Equal(validation, Ints("validation"));
        foreach (int epoch in new[] { 1, 2 })
        {
            var order = Enumerable.Range(0, train.Length).ToArray();
            Rng.ForStream(seed, (ulong)epoch).Shuffle(order.AsSpan());
            Assert.Equal(order, Ints($"order{epoch}"));
        }

        var set = new ImageSet(1, 8, 8, pixels, labels, ImageClassNames.Numbered(6), "recipe test");
        var examples = ImageTrainingData.Split(set, 0.1, new ImageAugmentation(shift, HorizontalFlip: true), seed).Train;
        examples.BeginEpoch(1);
        var draws = examples.Rows.Select(examples.Draw).ToArray();
        Assert.Equal(draws.Select(d => d.Dx), Ints("dx"));
        Assert.Equal(draws.Select(d => d.Dy), Ints("dy"));
        Assert.Equal(draws.Select(d => d.Flip), root.GetProperty("flip").EnumerateArray().Select(e => e.GetBoolean()));
        Assert.Contains(draws, d => d.Flip);
        Assert.Contains(draws, d => d.Dx != 0 && d.Dy != 0);
        var inputs = new float[examples.Count * 64];
        examples.Fill(Enumerable.Range(0, examples.Count).ToArray(), inputs, new float[examples.Count]);
        Assert.Equal(inputs, (float[])ReadNpy(folder.File("augmented.npy")).Values);

        var settings = new TrainingSettings { Epochs = epochs, LearningRate = 1e-3f, Schedule = "cosine", WarmupEpochs = warmup };
        var optimizer = new AdamW(new ParameterSet(new Linear(2, 1, new Rng(1))), settings.LearningRate);
        var schedule = Trainer.Schedule(optimizer, new MultiClassObjective(2), settings)!;
        var rates = new List<float>();
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            rates.Add(optimizer.LearningRate);
            schedule.Step(0.5);
        }
        Assert.Equal(rates, root.GetProperty("rates").EnumerateArray().Select(e => (float)e.GetDouble()));
    }

    [Fact]
    public void The_training_script_writes_a_checkpoint_that_evaluate_scores_as_the_script_did()
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        var rng = new Rng(13);
        foreach (var (split, n) in new[] { ("train", 120), ("t10k", 30) })
        {
            // Class k is brighter in its own third of the image: learnable, so the scores are not all chance.
            var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 3)).ToArray();
            var pixels = new byte[n * 144];
            for (int i = 0; i < n; i++)
                for (int p = 0; p < 144; p++) pixels[i * 144 + p] = (byte)(rng.NextInt(128) + (p / 48 == labels[i] ? 120 : 0));
            IdxFile.Write(folder.File($"{split}-images-idx3-ubyte.gz"), NpyArray.Of(pixels, n, 12, 12));
            IdxFile.Write(folder.File($"{split}-labels-idx1-ubyte"), NpyArray.Of(labels, n));
        }
        string checkpoint = folder.File("script.safetensors");
        string[] arguments = ["--data", folder.Path, "--model", "vit1d", "--model-config", """{"patch_size": 4, "layers": 1, "heads": 2, "model": 16, "feed_forward": 32}""",
            "--epochs", "3", "--warmup-epochs", "1", "--batch", "32", "--lr", "3e-3", "--threads", "1", "--out", checkpoint];
        var (code, printed, error) = TorchPython.Run("train_vit_torch.py", arguments);
        Assert.True(code == 0, error);
        output.WriteLine(printed);
        Assert.Equal(3, printed.Split('\n').Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        var test = System.Text.RegularExpressions.Regex.Match(printed, @"test \(30 images\): accuracy ([0-9.]+) macro-F1 ([0-9.]+)");
        Assert.True(test.Success, printed);

        var result = ImageEvaluation.Run(ImageSetReader.Read(folder.Path, ImageSplit.Test), [checkpoint], NullProgress.Instance).Models.Single();
        Assert.Equal("vit1d", result.Kind);
        // The script prints 4 decimals.
        Assert.InRange(Math.Abs(double.Parse(test.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) - result.Accuracy), 0, 5.01e-5);
        Assert.InRange(Math.Abs(double.Parse(test.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) - result.MacroF1), 0, 5.01e-5);
        var (_, info) = ImageCheckpoint.Load(checkpoint);
        Assert.Equal(3, info.History.Count);
        Assert.Contains("108 for training, 12 for validation", info.Data); // the stratified 90/10 split

        // An existing --out is not overwritten without --force.
        var before = File.ReadAllBytes(checkpoint);
        (code, _, error) = TorchPython.Run("train_vit_torch.py", arguments);
        Assert.Equal(1, code);
        Assert.Contains("--force", error);
        Assert.Equal(before, File.ReadAllBytes(checkpoint));
    }

    private static ImageModelInfo Info() => SmallVit.Info();

    /// <summary>Normalised images [n, C, H, W] with values in [-1, 1].</summary>
    private static Tensor Images(Rng rng, int n)
    {
        var values = new float[n * Small.Channels * Small.ImageSize * Small.ImageSize];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(2 * rng.NextDouble() - 1);
        return Tensor.FromArray(values, new Shape(n, Small.Channels, Small.ImageSize, Small.ImageSize));
    }

    private static void WriteNpy(string path, Tensor t) => WriteNpy(path, NpyArray.Of(t.ToArray(), t.Shape.ToArray().Select(d => (long)d).ToArray()));

    private static void WriteNpy(string path, NpyArray array)
    {
        using var stream = File.Create(path);
        NpyFormat.Write(stream, array);
    }

    private static NpyArray ReadNpy(string path)
    {
        using var stream = File.OpenRead(path);
        return NpyFormat.Read(stream, path);
    }

    private static double MaxDifference(ReadOnlySpan<float> a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    private static double Spread(ReadOnlySpan<float> values)
    {
        float min = float.MaxValue, max = float.MinValue;
        foreach (var v in values) (min, max) = (Math.Min(min, v), Math.Max(max, v));
        return max - min;
    }
}
