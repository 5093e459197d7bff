using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// waveforms[B, L] → per-bin logits[B, L] through L/P tokens: front Conv1d(1, C, k) + GELU over the samples, a patch
/// embedding (Conv1d(C, D, P, stride P)) + sinusoidal PE, a transformer encoder over the tokens, and a head
/// Linear(D, P) whose P outputs are the logits of the token's P samples. The record is zero-padded to a multiple of
/// P and the logits cut back to L. Parameter names: front (absent when front_channels is 0),
/// patch_embedding.proj, encoder.layers.N.*, head.
/// </summary>
public sealed class PatchTransformer : Module, IPeakModel
{
    private readonly SinusoidalPositionalEncoding _positions;

    public PatchTransformer(PatchTransformerConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        int channels = Math.Max(1, config.FrontChannels);
        if (config.FrontChannels > 0)
            Front = AddModule("front", new Conv1d(1, config.FrontChannels, config.FrontKernel, rng, padding: config.FrontKernel / 2));
        Patches = AddModule("patch_embedding", new PatchEmbedding1d(config.Patch, config.Model, rng, channels));
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
        Head = AddModule("head", new Linear(config.Model, config.Patch, rng));
    }

    public PatchTransformerConfig Config { get; }
    public string Kind => DriftChamberModels.PatchTransformer.Name;
    public PeakTask Task => PeakTask.PerBin;
    Module Learning.Training.ITrainable.Module => this;
    object IPeakModel.Config => Config;
    public int WindowLength => 0;
    public Conv1d? Front { get; }
    public PatchEmbedding1d Patches { get; }
    public TransformerEncoder Encoder { get; }
    public Linear Head { get; }

    /// <summary>Tokens of a record of <paramref name="samples"/>: whole patches, the last one zero-padded.</summary>
    public int Tokens(int samples) => (samples + Config.Patch - 1) / Config.Patch;

    public Tensor Forward(Tape tape, Tensor waveforms)
    {
        if (waveforms.Shape.Rank != 2) throw new ArgumentException($"PatchTransformer: expected waveforms [batch, length], got {waveforms.Shape}.");
        int b = waveforms.Shape[0], l = waveforms.Shape[1], p = Config.Patch, n = Tokens(l), padded = n * p;
        var x = waveforms;
        if (padded != l)
        {
            // The waveforms are data (no gradient flows into them), so the padded copy is a plain tape buffer.
            x = tape.Zeros(new Shape(b, padded));
            for (int i = 0; i < b; i++) waveforms.Data.Slice(i * l, l).CopyTo(x.Data.Slice(i * padded, l));
        }
        var h = Front is null ? x : Ops.Gelu(tape, Front.Forward(tape, Ops.Reshape(tape, x, new Shape(b, 1, padded))));
        // [B, C, L'] → tokens [B, N, D]; PE; encoder; [B, N, P] logits → [B, L'] → the first L.
        var tokens = Encoder.Forward(tape, _positions.Forward(tape, Patches.Forward(tape, h)));
        var logits = Ops.Reshape(tape, Head.Forward(tape, tokens), new Shape(b, padded));
        return padded == l ? logits : Ops.Slice(tape, logits, 1, 0, l);
    }

    /// <summary>
    /// The same model in an ONNX graph: waveforms [batch, L] (L up to <paramref name="maxLength"/>) → per-bin logits
    /// [batch, L]; the padding to whole patches and the cut back to L happen in the graph.
    /// </summary>
    public string ExportOnnx(Engine.Onnx.OnnxGraph graph, string waveforms, int maxLength)
    {
        int p = Config.Patch;
        var length = graph.Node("Shape", [waveforms], null, ("start", 1L), ("end", 2L));
        var patch = graph.Int64s("patch", [p]);
        // pad = (P - L mod P) mod P zeros at the end of each record.
        var pad = graph.Node("Mod", [graph.Node("Sub", [patch, graph.Node("Mod", [length, patch])]), patch]);
        var pads = graph.Node("Concat", [graph.Int64s("no_pads", [0, 0, 0]), pad], null, ("axis", 0L));
        var x = graph.Node("Unsqueeze", [graph.Node("Pad", [waveforms, pads]), graph.Int64s("channel_axis", [1])]);
        if (Front is not null) x = graph.Activation(Front.ExportOnnx(graph, x), ActivationKind.Gelu);
        var h = Encoder.ExportOnnx(graph, _positions.ExportOnnxUpTo(graph, Patches.ExportOnnx(graph, x), Tokens(maxLength)));
        var flat = graph.Node("Reshape", [Head.ExportOnnx(graph, h), graph.Int64s("flat_shape", [0, -1])]);
        return graph.Node("Slice", [flat, graph.Int64s("zero", [0]), length, graph.Int64s("sample_axis", [1])]);
    }
}
