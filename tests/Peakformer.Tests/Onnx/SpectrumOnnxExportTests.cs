using System.Globalization;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Peakformer.Data.Images;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Models;
using Peakformer.Learning.Training;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;
using Peakformer.Vision.Models;
using Xunit.Abstractions;

namespace Peakformer.Tests.Onnx;

/// <summary>
/// `export` of every spectrum kind and of the map ViT, run by ONNX Runtime 1.31 in-process: logits within 1e-5 of
/// Peakformer's own forward (evaluation mode: the CNN's batch norm on its running statistics) on simulated spectra and
/// random ones at batch 1 and 64; probabilities within 1e-6 of the softmax of Peakformer's logits; a CNN trained through
/// the CLI, exported through the CLI, gives `predict`'s probabilities once the checkpoint's pipeline (named in the
/// metadata, not in the graph) is applied; k-NN is refused in one line.
/// </summary>
public class SpectrumOnnxExportTests(ITestOutputHelper output)
{
    private const int Length = 200, Classes = 3;
    private const float Tolerance = 1e-5f;

    private static void Ok((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

    /// <summary>64 simulated spectra of 200 points in 3 classes, min-max normalised (the checkpoints' pipeline).</summary>
    private static SpectrumSet Simulated(TempFolder folder, string seed)
    {
        string path = folder.File($"sim{seed}.npz");
        Ok(CliHarness.Run("simulate", "--domain", "raman", "--spectra", "64", "--points", Length.ToString(CultureInfo.InvariantCulture), "--classes", "3",
            "--seed", seed, "--class-seed", "1", "--out", path));
        return SpectrumSetFile.Read(path);
    }

    private static (ITrainable Model, ModelKind Kind, object Config) Build(string kind) => kind switch
    {
        "spectrum-cnn" => Make(SpectrumModels.Cnn, new SpectrumCnnConfig { Length = Length, Classes = Classes, Channels = [4, 8], Pool = 2 }),
        // 200 points in patches of 16: the last patch zero-padded, as the graph's Pad must do.
        "spectrum-transformer" => Make(SpectrumModels.Transformer, new SpectrumTransformerConfig
        {
            Length = Length, Classes = Classes, PatchSize = 16, Layers = 2, Heads = 2, Model = 16, FeedForward = 32,
        }),
        _ => Make(SpectrumModels.LogisticRegression, new SoftmaxRegressionConfig { Length = Length, Classes = Classes }),
    };

    private static (ITrainable, ModelKind, object) Make(ModelKind kind, object config) => (kind.Build(config, new Rng(5)), kind, config);

    /// <summary>
    /// Every weight moved away from its initial value (zero heads and class tokens, unit norms) and batch norm's running
    /// statistics away from 0 and 1, so agreement is not trivial.
    /// </summary>
    private static void Perturb(global::Peakformer.Engine.Layers.Module module)
    {
        var rng = new Rng(8);
        foreach (var (_, p) in module.NamedParameters())
            for (int i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] += (float)(0.2 * rng.NextNormal());
        foreach (var (name, buffer) in module.NamedBuffers())
        {
            var values = buffer.Data;
            for (int i = 0; i < values.Length; i++)
                values[i] = name.EndsWith("running_mean", StringComparison.Ordinal) ? (float)(0.3 * rng.NextNormal())
                    : name.EndsWith("running_var", StringComparison.Ordinal) ? 0.2f + 2 * rng.NextFloat() : values[i];
        }
    }

    private static SpectrumModelInfo Info(double[] axis) => new()
    {
        ClassNames = ["a", "b", "c"], Axis = axis, InputAxis = axis, Preprocessing = "minmax",
    };

    private static float[] MinMax(SpectrumSet set)
    {
        var pipeline = global::Peakformer.Spectroscopy.Preprocessing.PreprocessingPipeline.Parse("minmax", "test");
        return pipeline.Apply(set, new NullProgress(), "test").Values;
    }

    private static (float[] Logits, float[] Probabilities) RunOnnx(InferenceSession session, float[] spectra, int batch)
    {
        var input = new DenseTensor(spectra, [batch, Length]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("spectra", input)]);
        return (results.First(r => r.Name == "logits").AsTensor<float>().ToArray(), results.First(r => r.Name == "probabilities").AsTensor<float>().ToArray());
    }

    private double Compare(string what, float[] expected, (float[] Logits, float[] Probabilities) onnx)
    {
        Assert.Equal(expected.Length, onnx.Logits.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - onnx.Logits[i]));
        output.WriteLine($"{what}: largest logit difference {worst:G3} (logits up to {expected.Max(v => Math.Abs(v)):G3})");
        Assert.InRange(worst, 0, Tolerance);
        for (int b = 0; b < expected.Length / Classes; b++)
        {
            var row = expected.AsSpan(b * Classes, Classes).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            for (int k = 0; k < Classes; k++)
                Assert.InRange(Math.Abs(onnx.Probabilities[b * Classes + k] - Math.Exp(row[k] - max) / sum), 0, 1e-6);
        }
        return worst;
    }

    [Theory]
    [InlineData("spectrum-cnn")]
    [InlineData("spectrum-transformer")]
    [InlineData("spectrum-logreg")]
    public void Onnx_runtime_gives_peakformers_logits_on_simulated_and_random_spectra_at_batch_1_and_64(string kindName)
    {
        using var folder = new TempFolder();
        var set = Simulated(folder, "2");
        var (built, kind, config) = Build(kindName);
        Perturb(built.Module);
        string checkpoint = folder.File("model.safetensors"), onnx = folder.File("model.onnx");
        SpectrumCheckpoint.Save(checkpoint, built, kind, ModelJson.Serialize(config), Info(set.Wavenumbers));
        var r = CliHarness.Run("export", "--model", checkpoint, "--out", onnx);
        Ok(r);
        Assert.Contains("wrote", r.Output);

        var (model, _, _) = SpectrumCheckpoint.Load(checkpoint);
        Assert.False(model.Module.Training);
        using var session = new InferenceSession(onnx);
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(kindName, meta["peakformer_model"]);
        Assert.Equal("spectrum", meta["task"]);
        Assert.Equal("minmax", meta["preprocessing"]);
        Assert.Equal("false", meta["preprocessing_in_graph"]);
        Assert.Contains("does not apply", meta["inputs"]);
        Assert.Equal(["a", "b", "c"], JsonSerializer.Deserialize<string[]>(meta["class_names"])!);
        Assert.Equal(set.Wavenumbers, JsonSerializer.Deserialize<double[]>(meta["axis_cm1"])!);

        var simulated = MinMax(set);
        var rng = new Rng(9);
        var random = new float[64 * Length];
        for (int i = 0; i < random.Length; i++) random[i] = rng.NextFloat();
        foreach (var (name, spectra) in new[] { ("simulated", simulated), ("random", random) })
            foreach (int batch in new[] { 1, 64 })
            {
                var x = spectra.AsSpan(0, batch * Length).ToArray();
                var expected = model.Forward(new Tape(gradients: false), Tensor.FromArray(x, new Shape(batch, Length))).ToArray();
                Compare($"{kindName}, {name}, batch {batch}", expected, RunOnnx(session, x, batch));
            }

        if (!TorchPython.OnnxAvailable(output)) return;
        var (checkCode, checkOut, checkError) = TorchPython.Run("check_onnx.py", onnx);
        output.WriteLine(checkOut + checkError);
        Assert.True(checkCode == 0, checkError);
        Assert.Contains("opset ai.onnx 17", checkOut);
    }

    [Fact]
    public void A_cnn_trained_and_exported_through_the_cli_gives_predicts_probabilities_once_its_pipeline_is_applied()
    {
        using var folder = new TempFolder();
        string train = folder.File("train.npz"), cnn = folder.File("cnn.safetensors"), onnx = folder.File("cnn.onnx");
        Ok(CliHarness.Run("simulate", "--domain", "raman", "--spectra", "120", "--points", "200", "--classes", "3", "--seed", "1",
            "--class-seed", "1", "--out", train));
        var test = Simulated(folder, "2");
        Ok(CliHarness.Run("train", "--task", "spectrum", "--model", "cnn", "--data", train, "--out", cnn, "--epochs", "3", "--warmup-epochs", "1",
            "--preprocess", "minmax", "--model-config", "{\"channels\": [4, 8], \"pool\": 2}"));
        Ok(CliHarness.Run("export", "--model", cnn, "--out", onnx));
        Ok(CliHarness.Run("predict", "--model", cnn, "--data", folder.File("sim2.npz"), "--out", folder.File("p.csv")));

        using var session = new InferenceSession(onnx);
        Assert.Equal("minmax", session.ModelMetadata.CustomMetadataMap["preprocessing"]);
        // The trained running statistics are not the initial ones: the graph's batch norm reads them.
        var (model, _, _) = SpectrumCheckpoint.Load(cnn);
        Assert.Contains(model.Module.NamedBuffers(), b => b.Name.EndsWith("running_mean", StringComparison.Ordinal) && b.Buffer.Data.ToArray().Any(v => v != 0));

        var (_, probabilities) = RunOnnx(session, MinMax(test), test.Count);
        var rows = File.ReadAllLines(folder.File("p.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        Assert.Equal(test.Count, rows.Length);
        double worst = 0;
        for (int i = 0; i < rows.Length; i++)
            for (int k = 0; k < Classes; k++)
                worst = Math.Max(worst, Math.Abs(probabilities[i * Classes + k] - float.Parse(rows[i][4 + k], CultureInfo.InvariantCulture)));
        output.WriteLine($"trained CNN, {test.Count} spectra: largest probability difference from predict {worst:G3}");
        Assert.InRange(worst, 0, 1e-6);
        Assert.Equal(rows.Select(r => int.Parse(r[2], CultureInfo.InvariantCulture)), global::Peakformer.Learning.Metrics.ArgMax.Rows(probabilities, Classes));
    }

    [Fact]
    public void Knn_is_refused_in_one_line_that_says_why_and_writes_nothing()
    {
        using var folder = new TempFolder();
        string train = folder.File("train.npz"), knn = folder.File("knn.safetensors"), onnx = folder.File("knn.onnx");
        Ok(CliHarness.Run("simulate", "--domain", "raman", "--spectra", "40", "--points", "50", "--classes", "2", "--seed", "1", "--out", train));
        Ok(CliHarness.Run("train", "--task", "spectrum", "--model", "knn", "--data", train, "--out", knn));
        var (code, _, error) = CliHarness.Run("export", "--model", knn, "--out", onnx);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error);
        Assert.Single(error.Trim().Split('\n'));
        Assert.Contains("(spectrum-knn) is not exported as ONNX: its prediction is a search over every stored training spectrum", error);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public void A_map_vit_trained_through_the_cli_exports_and_onnx_runtime_gives_its_logits_on_simulated_and_random_maps()
    {
        using var folder = new TempFolder();
        string train = folder.File("maps.npz"), test = folder.File("test.npz"), model = folder.File("map.safetensors"), onnx = folder.File("map.onnx");
        Ok(CliHarness.Run("simulate", "--domain", "ters", "--maps", "60", "--size", "16", "--classes", "3", "--seed", "1", "--out", train));
        Ok(CliHarness.Run("simulate", "--domain", "ters", "--maps", "64", "--size", "16", "--classes", "3", "--seed", "2", "--class-seed", "1", "--out", test));
        Ok(CliHarness.Run("train", "--task", "map", "--model", "vit", "--data", train, "--out", model,
            "--model-config", "{\"patch_size\": 8, \"layers\": 1, \"heads\": 2, \"model\": 16, \"feed_forward\": 32}", "--epochs", "1", "--warmup-epochs", "0", "--batch", "16"));
        Ok(CliHarness.Run("export", "--model", model, "--out", onnx));

        var (vit, info) = ImageCheckpoint.Load(model);
        using var session = new InferenceSession(onnx);
        Assert.Equal("map-vit", session.ModelMetadata.CustomMetadataMap["peakformer_model"]);
        Assert.Equal("map", session.ModelMetadata.CustomMetadataMap["task"]);
        var maps = ImageSetReader.Read(test, ImageSplit.Train);
        int c = info.Channels, size = info.Height, pixels = c * size * size;
        var rng = new Rng(3);
        var random = Enumerable.Range(0, 64 * pixels).Select(_ => rng.NextFloat()).ToArray();
        foreach (var (name, values) in new[] { ("simulated", maps.Pixels), ("random", random) })
            foreach (int batch in new[] { 1, 64 })
            {
                var x = values.AsSpan(0, batch * pixels).ToArray();
                var normalised = Tensor.FromArray(x.Select(v => (v - info.Mean) / info.Std).ToArray(), new Shape(batch, c, size, size));
                var expected = vit.Forward(new Tape(gradients: false), normalised).ToArray();
                using var results = session.Run([NamedOnnxValue.CreateFromTensor("pixels", new DenseTensor(x, [batch, c, size, size]))]);
                var logits = results.First(r => r.Name == "logits").AsTensor<float>().ToArray();
                double worst = expected.Select((v, i) => (double)Math.Abs(v - logits[i])).Max();
                output.WriteLine($"map-vit, {name}, batch {batch}: largest logit difference {worst:G3}");
                Assert.InRange(worst, 0, Tolerance);
            }
    }
}
