using Peakformer.Progress;

namespace Peakformer.Benchmarks;

/// <summary>
/// One model line of <c>peakformer bench</c>: training and inference rates of one model in interleaved rounds with its
/// peers (who goes first alternates), medians of the rounds, and the bytes allocated per training step after warm-up.
/// ONNX Runtime, in-process, runs the exported graph of the same weights on the same batch.
/// </summary>
public static class ModelLine
{
    /// <param name="unit">What one sample is ("windows", "waveforms"), printed with the rates; null for the engine suite's samples/s table.</param>
    public static void Run(EngineBenchmarkSettings s, string name, string label, ModelHarness harness, Func<(double Train, double Infer)>? peer,
        OnnxRuntimePeer onnx, int threads, EngineBenchmarkReport report, IProgressReporter progress, string? unit = null)
    {
        using var task = progress.Start($"{label}, {threads} thread(s)", s.Rounds, "rounds");
        for (int i = 0; i < s.WarmupSteps; i++) harness.TrainStep();
        for (int i = 0; i < s.WarmupSteps; i++) harness.InferBatch();
        var (first, steady, later) = harness.Allocations(Math.Max(1, s.WarmupSteps * 2 / 3));
        var train = new List<double>();
        var infer = new List<double>();
        var peerTrain = new List<double>();
        var peerInfer = new List<double>();
        var onnxInfer = new List<double>();
        onnx.InferRate(Math.Min(0.2, s.TrialSeconds)); // warm-up: the first runs allocate ONNX Runtime's arena
        for (int round = 0; round < s.Rounds; round++)
        {
            if (peer is not null && round % 2 == 1) Peer();
            if (round % 2 == 1) OnnxRuntime();
            Measure.Settle();
            train.Add(harness.TrainRate(s.TrialSeconds));
            Measure.Settle();
            infer.Add(harness.InferRate(s.TrialSeconds));
            if (round % 2 == 0) OnnxRuntime();
            if (peer is not null && round % 2 == 0) Peer();
            task.Advance(1, $"train {train[^1]:F0}/s infer {infer[^1]:F0}/s ONNX Runtime {onnxInfer[^1]:F0}/s" +
                (peerTrain.Count > 0 ? $" (PyTorch {peerTrain[^1]:F0}/s, {peerInfer[^1]:F0}/s)" : ""));
        }

        void OnnxRuntime()
        {
            Measure.Settle();
            onnxInfer.Add(onnx.InferRate(s.TrialSeconds));
        }

        void Peer()
        {
            Measure.Settle();
            var (t, i) = peer!();
            // A missing line (the peer printed no figure for it) gives (0, 0): no figure, not a zero.
            if (t <= 0) return;
            peerTrain.Add(t);
            peerInfer.Add(i);
        }
        report.Models.Add(new ModelFigure(name, threads, harness.Batch, Measure.Median(train), Measure.Median(infer),
            peerTrain.Count > 0 ? Measure.Median(peerTrain) : null, peerInfer.Count > 0 ? Measure.Median(peerInfer) : null,
            first, steady, later, Measure.Median(onnxInfer), unit));
    }
}
