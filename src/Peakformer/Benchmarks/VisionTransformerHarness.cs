using Peakformer.Data.Images;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Onnx;
using Peakformer.Learning.Models;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Objectives;
using Peakformer.Vision.Data;
using Peakformer.Vision.Models;

namespace Peakformer.Benchmarks;

/// <summary>
/// The Vision Transformer line of <c>peakformer bench</c>: a <see cref="ModelHarness"/> whose training step is the one
/// <c>train --task image</c> takes (a batch filled by <see cref="ImageExamples"/> with shift and flip augmentation,
/// cross-entropy with the recipe's label smoothing, AdamW lr 1e-3 weight decay 0.05), on one batch of random images.
/// The config is written out here, not taken from the recipe's defaults, so the figures stay comparable with
/// bench/peers/vit_peer.py whatever the defaults become.
/// </summary>
public static class VisionTransformerHarness
{
    public const int Batch = 128;

    public static VisionTransformerConfig Config { get; } = new()
    {
        ImageSize = 28, Channels = 1, PatchSize = 7, Layers = 4, Heads = 4, Model = 128, FeedForward = 256,
        Dropout = 0, AttentionDropout = 0, Classes = 10,
    };

    /// <summary>The name of the peer's line for a model kind, as vit_peer.py prints it.</summary>
    public static string PeerName(string kind) => $"{kind} B={Batch}";

    /// <summary>ONNX Runtime on the model's exported graph (normalised images in, logits out), on the harness's inference batch.</summary>
    public static OnnxRuntimePeer OnnxPeer(VisionTransformer model, int threads)
    {
        var c = model.Config;
        var graph = new OnnxGraph(model, model.Kind);
        var images = graph.Input("images", "batch", c.Channels, c.ImageSize, c.ImageSize);
        graph.Output(model.ExportOnnx(graph, images), "logits", "batch", c.Classes);
        var rng = new Rng(2);
        var values = new float[Batch * c.Channels * c.ImageSize * c.ImageSize];
        for (int i = 0; i < values.Length; i++) values[i] = 2 * rng.NextFloat() - 1;
        return new OnnxRuntimePeer(graph.ToBytes(OnnxMetadata.PeakformerVersion, new Dictionary<string, string>()), "images", values,
            [Batch, c.Channels, c.ImageSize, c.ImageSize], threads);
    }

    public static (VisionTransformer Model, ModelHarness Harness) Create(PatchGeometry geometry)
    {
        var config = Config;
        var rng = new Rng(0);
        var model = new VisionTransformer(config, rng, geometry);
        var optimizer = new AdamW(new ParameterSet(model), 1e-3f, weightDecay: 0.05f);
        int pixels = config.Channels * config.ImageSize * config.ImageSize;
        var images = new float[Batch * pixels];
        for (int i = 0; i < images.Length; i++) images[i] = rng.NextFloat();
        var labels = new int[Batch];
        for (int i = 0; i < Batch; i++) labels[i] = rng.NextInt(config.Classes);
        var names = Enumerable.Range(0, config.Classes).Select(c => $"class {c}").ToArray();
        var set = new ImageSet(config.Channels, config.ImageSize, config.ImageSize, images, labels, names, "bench");
        var rows = Enumerable.Range(0, Batch).ToArray();
        var train = new ImageExamples(set, rows, new ImageAugmentation(MaxShift: 2, HorizontalFlip: true), seed: 1);
        train.BeginEpoch(1);
        var objective = new MultiClassObjective(config.Classes, labelSmoothing: VisionModels.LabelSmoothing);
        var inputs = Tensor.Zeros(Batch, pixels);
        ImageExamples.All(set).Fill(rows, inputs.Data, new float[Batch]);
        var harness = new ModelHarness(model, optimizer, Batch,
            tape =>
            {
                // As the trainer's batch: inputs and targets from the tape, filled by the examples.
                var x = tape.Empty(new Shape(Batch, pixels));
                var y = tape.Empty(new Shape(Batch));
                train.Fill(rows, x.Data, y.Data);
                return objective.Loss(tape, model.Forward(tape, x), y);
            },
            tape => model.Forward(tape, inputs));
        return (model, harness);
    }
}
