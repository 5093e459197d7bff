using Peakformer.Engine.Tests.Support;
using Peakformer.Tests.Support;
using Peakformer.Benchmarks;
using Peakformer.Cli;
using Peakformer.Vision.Models;

namespace Peakformer.Tests.Benchmarks;

[Collection(SharedPoolCollection.Name)]
public class VisionTransformerHarnessTests
{
    // After the first steps a training step (batch fill with augmentation, forward, label-smoothed cross-entropy,
    // backward, AdamW) and an inference batch reuse every buffer.
    [Theory]
    [InlineData(PatchGeometry.Square)]
    [InlineData(PatchGeometry.Raster)]
    public void Training_and_inference_steps_allocate_nothing_after_the_first(PatchGeometry geometry)
    {
        var (_, harness) = VisionTransformerHarness.Create(geometry);
        Allocations.AssertSteadyStepAllocatesNothing(harness.TrainStep, "training steps");
        Allocations.AssertSteadyStepAllocatesNothing(harness.InferBatch, "inference batches");
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
