using Peakformer.Benchmarks;
using Peakformer.DriftChamber.Models;
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
        Assert.Equal([512, 8, 128, 8], report.Models.Select(f => f.Batch));
    }
}
