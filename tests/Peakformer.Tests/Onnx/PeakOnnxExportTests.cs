using Microsoft.ML.OnnxRuntime;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;
using Xunit.Abstractions;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;

namespace Peakformer.Tests.Onnx;

/// <summary>
/// `export --format onnx` of the peak models (a trained window transformer and per-bin transformer; an LSTM with
/// perturbed weights), run by ONNX Runtime 1.31 in-process on raw windows cut from simulated waveforms and on random ones, at
/// batch 1 and 257: logits and probabilities equal Peakformer's within 1e-5 (the graph subtracts the window mean
/// itself); the file passes onnx.checker.
/// </summary>
public class PeakOnnxExportTests(PeakCommandTests.Trained t, ITestOutputHelper output) : IClassFixture<PeakCommandTests.Trained>
{
    [Fact]
    public void Onnx_runtime_gives_the_window_transformers_scores_on_real_and_random_windows() => Check(t.Window, "window-transformer");

    [Fact]
    public void Onnx_runtime_gives_the_lstms_scores_on_real_and_random_windows()
    {
        using var folder = new TempFolder();
        // Weights moved off their initial range, so every gate matters (a gate order mix-up shows).
        var lstm = new WindowLstm(new WindowLstmConfig { Hidden = 12, Dense = 8 }, new Rng(4));
        var rng = new Rng(5);
        foreach (var (_, p) in lstm.NamedParameters())
            for (int i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] += (float)(0.3 * rng.NextNormal());
        string path = folder.File("lstm.safetensors");
        PeakCheckpoint.Save(path, lstm, new PeakModelInfo { Task = "window" });
        Check(path, "window-lstm");
    }

    [Fact]
    public void Onnx_runtime_gives_the_per_bin_transformers_scores_on_whole_records_of_any_length()
    {
        using var folder = new TempFolder();
        string onnx = folder.File("perbin.onnx");
        var (code, _, error) = CliHarness.Run("export", "--model", t.PerBin, "--out", onnx);
        Assert.True(code == 0, error);
        var (model, _) = PeakCheckpoint.Load(t.PerBin);
        using var data = WaveformDataset.Open(t.Test);
        var real = new float[3 * data.Samples];
        data.ReadWaveforms(0, 3, real);
        var rng = new Rng(6);
        var random = Enumerable.Range(0, 5 * 300).Select(_ => (float)(0.2 * rng.NextNormal())).ToArray();

        using var session = new InferenceSession(onnx);
        foreach (var (name, values, batch, length) in new[] { ("real", real[..data.Samples], 1, data.Samples), ("real", real, 3, data.Samples), ("random", random, 5, 300) })
        {
            var expected = model.Forward(new Tape(gradients: false), Tensor.FromArray(values, new Shape(batch, length))).ToArray();
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("waveforms", new DenseTensor(values, [batch, length]))]);
            var logits = results.First(r => r.Name == "logits").AsTensor<float>().ToArray();
            Assert.Equal(expected.Length, logits.Length);
            double worst = 0;
            for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - logits[i]));
            output.WriteLine($"perbin-transformer, {name} records, batch {batch} of {length} samples: largest logit difference {worst:G3}, spread {expected.Max() - expected.Min():G3}");
            Assert.InRange(worst, 0, 1e-5);
        }
        if (!TorchPython.OnnxAvailable(output)) return;
        var (checkCode, checkOut, checkError) = TorchPython.Run("check_onnx.py", onnx);
        Assert.True(checkCode == 0, checkError + checkOut);
    }

    private void Check(string checkpoint, string kind)
    {
        using var folder = new TempFolder();
        string onnx = folder.File("window.onnx");
        var (code, _, error) = CliHarness.Run("export", "--model", checkpoint, "--out", onnx);
        Assert.True(code == 0, error);
        var (window, info) = PeakCheckpoint.Load(checkpoint);
        int w = window.WindowLength;

        // Real windows: every third bin of the first test waveforms; random ones: noise plus an offset the graph must remove.
        using var data = WaveformDataset.Open(t.Test);
        var waveforms = new float[4 * data.Samples];
        data.ReadWaveforms(0, 4, waveforms);
        var real = new List<float>();
        for (int i = 0; real.Count < 257 * w; i++)
        {
            int wave = i % 4, bin = info.Windows.Before + 3 * (i / 4);
            real.AddRange(waveforms.AsSpan(wave * data.Samples + bin - info.Windows.Before, w).ToArray());
        }
        var rng = new Rng(3);
        var random = Enumerable.Range(0, 257 * w).Select(i => (float)(0.3 * rng.NextNormal() + 0.1 * (i / w % 5))).ToArray();

        using var session = new InferenceSession(onnx);
        Assert.Equal(kind, session.ModelMetadata.CustomMetadataMap["peakformer_model"]);
        foreach (var (name, windows) in new[] { ("real", real.ToArray()), ("random", random) })
            foreach (int batch in new[] { 1, 257 })
            {
                var raw = windows.AsSpan(0, batch * w).ToArray();
                var centred = new float[raw.Length];
                for (int b = 0; b < batch; b++) WindowCutter.Cut(raw.AsSpan(b * w, w), info.Windows.Before, info.Windows, centred.AsSpan(b * w, w));
                var expected = window.Forward(new Tape(gradients: false), Tensor.FromArray(centred, new Shape(batch, w))).ToArray();
                using var results = session.Run([NamedOnnxValue.CreateFromTensor("windows", new DenseTensor(raw, [batch, w]))]);
                var logits = results.First(r => r.Name == "logits").AsTensor<float>().ToArray();
                var probabilities = results.First(r => r.Name == "probabilities").AsTensor<float>().ToArray();
                Assert.Equal(batch, logits.Length);
                double worst = 0, worstP = 0;
                for (int i = 0; i < batch; i++)
                {
                    worst = Math.Max(worst, Math.Abs(expected[i] - logits[i]));
                    worstP = Math.Max(worstP, Math.Abs(1 / (1 + Math.Exp(-expected[i])) - probabilities[i]));
                }
                output.WriteLine($"{kind}, {name} windows, batch {batch}: largest logit difference {worst:G3}, probability {worstP:G3}, logit spread {expected.Max() - expected.Min():G3}");
                Assert.InRange(worst, 0, 1e-5);
                Assert.InRange(worstP, 0, 1e-5);
            }

        if (!TorchPython.OnnxAvailable(output)) return;
        var (checkCode, checkOut, checkError) = TorchPython.Run("check_onnx.py", onnx);
        Assert.True(checkCode == 0, checkError + checkOut);
    }
}
