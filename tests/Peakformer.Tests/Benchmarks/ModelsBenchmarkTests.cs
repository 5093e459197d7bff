using Peakformer.Benchmarks;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Progress;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Benchmarks;

[Collection(SharedPoolCollection.Name)]
public class ModelsBenchmarkTests
{
    // Structure, not speed: one round of tiny trials. Every registered drift-chamber kind has a line in the engine suite
    // (the window transformer, beside PyTorch) or in the models suite, and every models-suite line has Peakformer's
    // training and inference rates, ONNX Runtime's inference rate on the exported graph, its unit, and no invented peer.
    [Fact]
    public void Every_exported_drift_chamber_kind_has_a_line_with_the_onnx_runtime_column()
    {
        var expected = DriftChamberModels.PeakKinds.Concat(DriftChamberModels.CountKinds).Where(k => k != DriftChamberModels.WindowTransformer).ToList();
        Assert.All(expected, k => Assert.NotNull(k.ExportOnnx));
        Assert.Equal(expected.Select(k => k.Name).Order(), ModelsBenchmark.Kinds.Select(k => k.Name).Order());

        var settings = new EngineBenchmarkSettings { Threads = [1], Rounds = 1, TrialSeconds = 0.01, WarmupSteps = 1, Peers = false };
        var report = EngineBenchmark.Empty();
        ModelsBenchmark.Run(settings, report, new NullProgress());

        Assert.Equal(ModelsBenchmark.Kinds.Select(k => k.Name), report.Models.Select(f => f.Model));
        foreach (var f in report.Models)
        {
            var kind = ModelsBenchmark.Kinds.Single(k => k.Name == f.Model);
            Assert.Equal(kind.Task == DriftChamberModels.WindowTask ? "windows" : "waveforms", f.Unit);
            Assert.True(f.TrainSamplesPerSecond > 0, $"{f.Model}: training rate {f.TrainSamplesPerSecond}");
            Assert.True(f.InferSamplesPerSecond > 0, $"{f.Model}: inference rate {f.InferSamplesPerSecond}");
            Assert.True(f.OnnxRuntimeInferSamplesPerSecond > 0, $"{f.Model}: ONNX Runtime rate {f.OnnxRuntimeInferSamplesPerSecond}");
            Assert.NotNull(f.OnnxRuntimeInferRatio);
            Assert.Null(f.PeerTrainSamplesPerSecond);
            Assert.Null(f.PeerInferSamplesPerSecond);
            Assert.Equal(1, f.Threads);
        }
        // The batches Peakformer runs: candidate windows at the scorer's batch, records and token rows at the recipe's.
        Assert.Equal([512, 8, 16, 128, 8], report.Models.Select(f => f.Batch));
    }

    // The helper feeds ONNX Runtime the graph export writes: on the same windows, the logits are Peakformer's (the
    // graph subtracts the window mean; Peakformer's scorer cuts windows with the mean already subtracted).
    [Fact]
    public void The_exported_peer_runs_the_models_graph_on_the_given_input()
    {
        var rng = new Rng(3);
        var model = (WindowLstm)DriftChamberModels.Create(DriftChamberModels.WindowLstm.Name, null, rng);
        int b = 5, w = model.WindowLength;
        var windows = new float[b * w];
        for (int i = 0; i < windows.Length; i++) windows[i] = (float)rng.NextNormal();
        for (int r = 0; r < b; r++)
        {
            float mean = windows.AsSpan(r * w, w).ToArray().Average();
            for (int k = 0; k < w; k++) windows[r * w + k] -= mean;
        }
        using var peer = OnnxRuntimePeer.Exported(model, windows, [b, w], threads: 1);
        var ours = model.Forward(new Tape(gradients: false), Tensor.FromArray(windows, b, w)).ToArray();
        var theirs = peer.Run(windows, [b, w]);
        Assert.Equal(b, theirs.Length);
        for (int i = 0; i < b; i++) Assert.Equal(ours[i], theirs[i], 1e-4f);
    }
}
