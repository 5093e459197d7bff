using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// waveforms[B, L] → per-bin logits[B, L]: a Conv1d embedding of each bin's neighbourhood plus sinusoidal PE, a
/// transformer encoder in which every bin attends to every other bin, and a per-bin linear head.
/// Parameter names: embedding (Conv1d), encoder.layers.N.*, head.
/// </summary>
public sealed class PerBinTransformer : Module, IPeakModel
{
    private readonly SinusoidalPositionalEncoding _positions;

    public PerBinTransformer(PerBinTransformerConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        Embedding = AddModule("embedding", new Conv1d(1, config.Model, config.EmbeddingKernel, rng, padding: config.EmbeddingKernel / 2));
        _positions = new SinusoidalPositionalEncoding(config.Model);
        Encoder = AddModule("encoder", new TransformerEncoder(new TransformerEncoderLayerOptions
        {
            Model = config.Model,
            Heads = config.Heads,
            FeedForward = config.FeedForward,
            AttentionDropout = config.AttentionDropout,
            FeedForwardDropout = config.FeedForwardDropout,
            Activation = config.Activation,
            NormFirst = config.NormFirst,
        }, config.Layers, rng));
        Head = AddModule("head", new Linear(config.Model, 1, rng));
    }

    public PerBinTransformerConfig Config { get; }
    public string Kind => DriftChamberModels.PerBinTransformer.Name;
    public PeakTask Task => PeakTask.PerBin;
    Module Learning.Training.ITrainable.Module => this;
    object IPeakModel.Config => Config;
    public int WindowLength => 0;
    public Conv1d Embedding { get; }
    public TransformerEncoder Encoder { get; }
    public Linear Head { get; }

    public Tensor Forward(Tape tape, Tensor waveforms)
    {
        if (waveforms.Shape.Rank != 2) throw new ArgumentException($"PerBinTransformer: expected waveforms [batch, length], got {waveforms.Shape}.");
        int b = waveforms.Shape[0], l = waveforms.Shape[1];
        // [B, L] → Conv1d over [B, 1, L] → [B, model, L] → tokens [B, L, model].
        var h = Ops.Transpose(tape, Embedding.Forward(tape, Ops.Reshape(tape, waveforms, new Shape(b, 1, l))), 1, 2);
        h = Encoder.Forward(tape, _positions.Forward(tape, h));
        return Ops.Reshape(tape, Head.Forward(tape, h), new Shape(b, l));
    }

    /// <summary>The same model in an ONNX graph: waveforms [batch, L] (L up to <paramref name="maxLength"/>) → per-bin logits [batch, L].</summary>
    public string ExportOnnx(Engine.Onnx.OnnxGraph graph, string waveforms, int maxLength)
    {
        var channels = graph.Node("Unsqueeze", [waveforms, graph.Int64s("channel_axis", [1])]);
        var tokens = graph.Node("Transpose", [Embedding.ExportOnnx(graph, channels)], null, ("perm", new long[] { 0, 2, 1 }));
        var h = Encoder.ExportOnnx(graph, _positions.ExportOnnxUpTo(graph, tokens, maxLength));
        return graph.Node("Squeeze", [Head.ExportOnnx(graph, h), graph.Int64s("logit_axis", [2])]);
    }
}
