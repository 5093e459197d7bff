using Microsoft.ML.OnnxRuntime;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;
using Xunit.Abstractions;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;

namespace Peakformer.Tests.Onnx;

/// <summary>
/// `export --format onnx` of the count models (weights moved off their initial range, the count standardised by a mean
/// and scale that are not 0 and 1), run by ONNX Runtime 1.31 in-process: "standardised" equals Peakformer's forward
/// within 1e-5 and "clusters" what <c>count</c> reports (standardised x scale + mean) within 1e-5 relative. The count transformer on
/// tokens built by PeakTokens from simulated waveforms' peaks (truth and a carried peak model's, a row without peaks,
/// a row of more than MaxTokens peaks) and on random tokens with garbage in the padding, at batch 1 and 257; a row
/// without peaks also against the closed form output(relu(dense bias)). The one-step counter on simulated records and
/// random ones. Each file passes onnx.checker.
/// </summary>
public class CountOnnxExportTests(PeakCommandTests.Trained t, ITestOutputHelper output) : IClassFixture<PeakCommandTests.Trained>
{
    private const double Mean = 30, Scale = 6;

    [Fact]
    public void Onnx_runtime_gives_the_count_transformers_counts_on_real_and_random_tokens()
    {
        using var folder = new TempFolder();
        var (model, checkpoint, peakSource) = CountTransformerCheckpoint(folder);
        string onnx = folder.File("count.onnx"), peaksOnnx = folder.File("peaks.onnx");
        var (code, stdout, error) = CliHarness.Run("export", "--model", checkpoint, "--out", onnx, "--peak-model-out", peaksOnnx);
        Assert.True(code == 0, error);
        Assert.Contains("peaks.onnx", stdout);

        using var session = new InferenceSession(onnx);
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("count-transformer", meta["peakformer_model"]);
        Assert.Equal("window.safetensors", meta["peaks_from"]);
        Assert.Contains("--peak-model-out", meta["inputs"]);
        Assert.Equal("96", meta["max_tokens"]);
        Assert.Equal("3", meta["min_amplitude_sigma"]);
        using (var peaks = new InferenceSession(peaksOnnx))
            Assert.Equal("window-transformer", peaks.ModelMetadata.CustomMetadataMap["peakformer_model"]);

        var real = RealTokens(peakSource);
        var random = RandomTokens(new Rng(21));
        // Batch 1: a row without peaks, a row of MaxTokens peaks, an ordinary row; then all 257.
        foreach (var (name, tokens) in new[] { ("real", real), ("random", random) })
            foreach (var (first, batch) in new[] { (0, 1), (1, 1), (2, 1), (0, 257) })
                Compare(session, model, "tokens", tokens.AsSpan(first * PeakTokens.InputSize, batch * PeakTokens.InputSize).ToArray(), [batch, PeakTokens.InputSize], $"{name} tokens from row {first}");
        Check(onnx);
        Check(peaksOnnx);
    }

    [Fact]
    public void A_row_without_peaks_gets_peakformers_finite_count_not_nan()
    {
        using var folder = new TempFolder();
        var (model, checkpoint, _) = CountTransformerCheckpoint(folder);
        string onnx = folder.File("count.onnx");
        Assert.Equal(0, CliHarness.Run("export", "--model", checkpoint, "--out", onnx).Exit);
        using var session = new InferenceSession(onnx);
        // Every token padding: the pooled vector is 0, so the count is output(relu(dense bias)), whatever the encoder does.
        var ct = (CountTransformer)model;
        double closed = ct.Output.Bias!.Value.Data[0];
        for (int j = 0; j < ct.Config.Dense; j++) closed += ct.Output.Weight.Value.Data[j] * Math.Max(0, ct.Dense.Bias!.Value.Data[j]);
        foreach (int batch in new[] { 1, 3 })
        {
            var standardised = Compare(session, model, "tokens", new float[batch * PeakTokens.InputSize], [batch, PeakTokens.InputSize], "rows without peaks");
            foreach (float v in standardised) Assert.InRange(Math.Abs(v - closed), 0, 1e-5);
        }
    }

    [Fact]
    public void Onnx_runtime_gives_the_one_step_counters_counts_on_real_and_random_records()
    {
        using var folder = new TempFolder();
        using var data = WaveformDataset.Open(t.Test);
        var rng = new Rng(22);
        var counter = new OneStepCounter(new OneStepCounterConfig
        {
            Backbone = new PerBinTransformerConfig { EmbeddingKernel = 5, Model = 16, Heads = 2, Layers = 1, FeedForward = 32 },
            Samples = data.Samples, TargetMean = Mean, TargetScale = Scale,
        }, rng);
        Perturb(counter, rng, 0.1);
        string checkpoint = folder.File("onestep.safetensors"), onnx = folder.File("onestep.onnx");
        CountCheckpoint.Save(checkpoint, counter, new CountModelInfo { SamplingNs = data.SamplingNs });
        var (code, _, error) = CliHarness.Run("export", "--model", checkpoint, "--out", onnx);
        Assert.True(code == 0, error);
        var (model, _, _) = CountCheckpoint.Load(checkpoint);

        var real = new float[3 * data.Samples];
        data.ReadWaveforms(0, 3, real);
        var random = Enumerable.Range(0, 257 * 64).Select(_ => (float)(0.2 * rng.NextNormal())).ToArray();
        using var session = new InferenceSession(onnx);
        Assert.Equal("onestep-counter", session.ModelMetadata.CustomMetadataMap["peakformer_model"]);
        // Attention over every bin: batch 257 of 1,200-sample records would be a 3 GB graph (as for the per-bin
        // transformer), so the records are checked at batch 1 and 3, and batch 257 on records of 64 samples.
        foreach (var (name, values, batch, length) in new[] { ("real", real[..data.Samples], 1, data.Samples), ("real", real, 3, data.Samples), ("random", random, 257, 64) })
            Compare(session, model, "waveforms", values, [batch, length], $"{name} records, batch {batch} of {length} samples");
        Check(onnx);
    }

    /// <summary>A count transformer with moved weights, saved carrying the trained window transformer as its peak model.</summary>
    private (ICountModel Model, string Checkpoint, PeakSource Peaks) CountTransformerCheckpoint(TempFolder folder)
    {
        var rng = new Rng(20);
        var transformer = new CountTransformer(new CountTransformerConfig { TargetMean = Mean, TargetScale = Scale }, rng);
        Perturb(transformer, rng, 0.3);
        var peaks = PeakSource.Model(t.Window);
        string checkpoint = folder.File("count.safetensors");
        using (var data = WaveformDataset.Open(t.Train))
            CountCheckpoint.Save(checkpoint, transformer, new CountModelInfo { PeaksFrom = "window.safetensors", SamplingNs = data.SamplingNs }, peaks.Carried);
        var (model, _, carried) = CountCheckpoint.Load(checkpoint);
        Assert.NotNull(carried);
        return (model, checkpoint, peaks);
    }

    /// <summary>
    /// 257 rows of tokens from the training waveforms: row 0 without peaks, row 1 of MaxTokens + 4 peaks (one every 10
    /// samples, scores in (0, 1)), then the truth peaks and the carried peak model's peaks of each waveform in turn.
    /// </summary>
    private float[] RealTokens(PeakSource model)
    {
        using var data = WaveformDataset.Open(t.Train);
        var batch = WaveformBatch.Read(data, 0, data.Count);
        var truth = PeakSource.Truth().Find(batch);
        var found = model.Find(batch);
        var tokens = new float[257 * PeakTokens.InputSize];
        var rng = new Rng(23);
        int full = PeakTokens.MaxTokens + 4;
        var many = new FoundPeaks(Enumerable.Range(0, full).Select(k => 20 + 10 * k).ToArray(), Enumerable.Range(0, full).Select(_ => rng.NextFloat()).ToArray());
        Assert.True(20 + 10 * full < data.Samples);
        for (int row = 0; row < 257; row++)
        {
            int wave = row % data.Count;
            var peaks = row == 0 ? FoundPeaks.None : row == 1 ? many : (row / data.Count) % 2 == 0 ? truth[wave] : found[wave];
            PeakTokens.Build(batch.Waveform(wave), peaks, data.SamplingNs, tokens.AsSpan(row * PeakTokens.InputSize, PeakTokens.InputSize));
        }
        Assert.Equal(1f, tokens[PeakTokens.InputSize + PeakTokens.InputSize - 1]);
        return tokens;
    }

    /// <summary>
    /// 257 rows of normal features; row r has r mod 97 peaks packed from the front (row 0: none, row 1: MaxTokens);
    /// every fifth row has validities scattered (0.3 and 0.7 around the 0.5 cut). Padding holds garbage: only the mask hides it.
    /// </summary>
    private static float[] RandomTokens(Rng rng)
    {
        int n = PeakTokens.MaxTokens, f = PeakTokens.Features;
        var tokens = new float[257 * PeakTokens.InputSize];
        for (int row = 0; row < 257; row++)
        {
            int valid = row == 0 ? 0 : row == 1 ? n : row % (n + 1);
            for (int k = 0; k < n; k++)
            {
                var token = tokens.AsSpan((row * n + k) * f, f);
                for (int j = 0; j < f - 1; j++) token[j] = (float)rng.NextNormal();
                token[f - 1] = row > 2 && row % 5 == 0 ? (rng.NextDouble() < 0.5 ? 0.3f : 0.7f) : k < valid ? 1f : 0f;
            }
        }
        return tokens;
    }

    /// <summary>Runs both sides; asserts standardised and clusters within 1e-5 and finite; returns ONNX Runtime's standardised counts.</summary>
    private float[] Compare(InferenceSession session, ICountModel model, string input, float[] values, int[] shape, string what)
    {
        var expected = model.Module is CountTransformer ct ? ct.Forward(new Tape(gradients: false), Tensor.FromArray(values, new Shape(shape)))
            : ((OneStepCounter)model.Module).Forward(new Tape(gradients: false), Tensor.FromArray(values, new Shape(shape)));
        var e = expected.ToArray();
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, new DenseTensor(values, shape))]);
        var standardised = results.First(r => r.Name == "standardised").AsTensor<float>().ToArray();
        var clusters = results.First(r => r.Name == "clusters").AsTensor<float>().ToArray();
        Assert.Equal(shape[0], standardised.Length);
        Assert.Equal(shape[0], clusters.Length);
        double worst = 0, worstClusters = 0;
        for (int i = 0; i < e.Length; i++)
        {
            Assert.True(float.IsFinite(standardised[i]) && float.IsFinite(clusters[i]), $"{what}: row {i} is {standardised[i]}");
            worst = Math.Max(worst, Math.Abs(e[i] - standardised[i]));
            // What `count` reports (ModelCounter): the standardised output times the scale plus the mean, in double;
            // relative, since a count of ~30 clusters in float32 is only good to a few 1e-6 absolute.
            double reported = e[i] * model.TargetScale + model.TargetMean;
            worstClusters = Math.Max(worstClusters, Math.Abs(reported - clusters[i]) / Math.Max(1, Math.Abs(reported)));
        }
        output.WriteLine($"{model.Kind}, {what}: largest difference {worst:G3} (standardised), {worstClusters:G3} relative (clusters); " +
            $"standardised from {e.Min():G3} to {e.Max():G3}");
        Assert.InRange(worst, 0, 1e-5);
        Assert.InRange(worstClusters, 0, 1e-5);
        return standardised;
    }

    private static void Perturb(Module module, Rng rng, double sigma)
    {
        foreach (var (_, p) in module.NamedParameters())
            for (int i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] += (float)(sigma * rng.NextNormal());
    }

    private void Check(string onnx)
    {
        if (!TorchPython.OnnxAvailable(output)) return;
        var (code, stdout, error) = TorchPython.Run("check_onnx.py", onnx);
        output.WriteLine(stdout + error);
        Assert.True(code == 0, error + stdout);
    }
}
