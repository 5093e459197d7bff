using Peakformer.Tests.Support;
using Peakformer.Benchmarks;
using Peakformer.Cli;
using Peakformer.Engine.Threading;
using Peakformer.Vision.Models;

namespace Peakformer.Tests.Benchmarks;

[Collection(SharedPoolCollection.Name)]
public class VisionTransformerHarnessTests
{
    // An allocation count, not a timing: after the first steps a training step (batch fill with augmentation, forward,
    // label-smoothed cross-entropy, backward, AdamW) and an inference batch reuse every buffer. At one thread (the
    // floor's setting) the pool runs every part on the calling thread, so that thread's count is the step's whole
    // count; the process-wide count (what bench reports) also sees the test host's own threads here.
    [Theory]
    [InlineData(PatchGeometry.Square)]
    [InlineData(PatchGeometry.Raster)]
    public void Training_and_inference_steps_allocate_nothing_after_the_first(PatchGeometry geometry)
    {
        int threads = WorkerPool.Shared.Threads;
        WorkerPool.SetSharedThreads(1);
        try
        {
            var (_, harness) = VisionTransformerHarness.Create(geometry);
            harness.TrainStep();
            harness.InferBatch();
            // The runtime itself may allocate on this thread now and then (tiered recompilation) in a busy test run; a
            // step that allocates allocates in every window, so one clean window of three is the test.
            AssertSomeWindowAllocatesNothing(harness.TrainStep, "training steps");
            AssertSomeWindowAllocatesNothing(harness.InferBatch, "inference batches");
        }
        finally
        {
            WorkerPool.SetSharedThreads(threads);
        }
    }

    private static void AssertSomeWindowAllocatesNothing(Action step, string what)
    {
        var windows = new List<long>();
        for (int window = 0; window < 3 && (windows.Count == 0 || windows[^1] != 0); window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 5; i++) step();
            windows.Add(GC.GetAllocatedBytesForCurrentThread() - before);
        }
        Assert.True(windows[^1] == 0, $"bytes allocated by 5 steady {what}, window by window: {string.Join(", ", windows)}");
    }

    [Fact]
    public void The_bench_config_is_the_one_vit_peer_py_builds()
    {
        // bench/peers/vit_peer.py: IMAGE, PATCH, LAYERS, HEADS, HIDDEN, MLP, CLASSES, BATCH = 28, 7, 4, 4, 128, 256, 10, 128
        var c = VisionTransformerHarness.Config;
        Assert.Equal((28, 1, 7, 4, 4, 128, 256, 0f, 0f, 10), (c.ImageSize, c.Channels, c.PatchSize, c.Layers, c.Heads, c.Model, c.FeedForward, c.Dropout, c.AttentionDropout, c.Classes));
        Assert.Equal(128, VisionTransformerHarness.Batch);
        string script = File.ReadAllText(Path.Combine(RepositoryLayout.Root()!, "bench", "peers", "vit_peer.py"));
        Assert.Contains("IMAGE, PATCH, LAYERS, HEADS, HIDDEN, MLP, CLASSES, BATCH = 28, 7, 4, 4, 128, 256, 10, 128", script);
        Assert.Contains("dropout=0.0, attention_dropout=0.0", script);
        Assert.Contains("lr=1e-3, weight_decay=0.05", script);
        Assert.Contains("label_smoothing=0.1", script);
    }
}
