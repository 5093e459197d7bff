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
/// The two convolutions run as matrix multiplies in sample-major layout: each sample's k neighbours [B, L', k] times
/// the front weight give [B, L', C]; a token is then P consecutive rows, read in place as [B, N, P C] against the
/// patch weight [D, C, P] transposed to [D, P, C]. No im2col per record and no transpose of the activations.
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
        Patches = AddModule("patch_embedding", new PatchProjection(channels, config.Model, config.Patch, rng)).Proj;
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
    /// <summary>patch_embedding.proj: Conv1d(C, D, P, stride P), weight [D, C, P].</summary>
    public Conv1d Patches { get; }
    public TransformerEncoder Encoder { get; }
    public Linear Head { get; }

    /// <summary>Tokens of a record of <paramref name="samples"/>: whole patches, the last one zero-padded.</summary>
    public int Tokens(int samples) => (samples + Config.Patch - 1) / Config.Patch;

    public Tensor Forward(Tape tape, Tensor waveforms)
    {
        if (waveforms.Shape.Rank != 2) throw new ArgumentException($"PatchTransformer: expected waveforms [batch, length], got {waveforms.Shape}.");
        int b = waveforms.Shape[0], l = waveforms.Shape[1], p = Config.Patch, n = Tokens(l), padded = n * p;
        int c = Math.Max(1, Config.FrontChannels), d = Config.Model;
        // The waveforms are data (no gradient flows into them), so the padded record, or each sample's neighbourhood,
        // is a plain tape buffer.
        Tensor h;
        if (Front is null)
        {
            h = waveforms;
            if (padded != l)
            {
                h = tape.Zeros(new Shape(b, padded));
                for (int i = 0; i < b; i++) waveforms.Data.Slice(i * l, l).CopyTo(h.Data.Slice(i * padded, l));
            }
        }
        else
        {
            int k = Config.FrontKernel;
            var neighbours = Neighbourhoods(tape, waveforms.Data, b, l, padded, k);
            h = Ops.Gelu(tape, Ops.Linear(tape, neighbours, Ops.Reshape(tape, Front.Weight.Value, new Shape(c, k)), Front.Bias!.Value));
        }
        // [B, L', C] read as [B, N, P C] (tap-major); the patch weight [D, C, P] → [D, P, C] to match.
        var patchWeight = Ops.Reshape(tape, Ops.Transpose(tape, Patches.Weight.Value, 1, 2), new Shape(d, p * c));
        var tokens = Ops.Linear(tape, Ops.Reshape(tape, h, new Shape(b, n, p * c)), patchWeight, Patches.Bias!.Value);
        // PE; encoder; [B, N, P] logits → [B, L'] → the first L.
        tokens = Encoder.Forward(tape, _positions.Forward(tape, tokens));
        var logits = Ops.Reshape(tape, Head.Forward(tape, tokens), new Shape(b, padded));
        return padded == l ? logits : Ops.Slice(tape, logits, 1, 0, l);
    }

    /// <summary>
    /// x[b, t, j] = waveform b's sample t + j - k/2 for t &lt; <paramref name="padded"/>, zero outside the record: what
    /// Conv1d(1, C, k, padding k/2) over the zero-padded record multiplies its weight with.
    /// </summary>
    private static Tensor Neighbourhoods(Tape tape, ReadOnlySpan<float> waveforms, int b, int l, int padded, int k)
    {
        var x = tape.Empty(new Shape(b, padded, k));
        var o = x.Data;
        int half = k / 2;
        for (int i = 0; i < b; i++)
        {
            var w = waveforms.Slice(i * l, l);
            var rows = o.Slice(i * padded * k, padded * k);
            for (int t = 0; t < padded; t++)
            {
                var row = rows.Slice(t * k, k);
                int first = t - half;
                if (first >= 0 && first + k <= l) w.Slice(first, k).CopyTo(row);
                else
                    for (int j = 0; j < k; j++) row[j] = (uint)(first + j) < (uint)l ? w[first + j] : 0f;
            }
        }
        return x;
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
        var tokens = graph.Node("Transpose", [Patches.ExportOnnx(graph, x)], null, ("perm", new long[] { 0, 2, 1 }));
        var h = Encoder.ExportOnnx(graph, _positions.ExportOnnxUpTo(graph, tokens, Tokens(maxLength)));
        var flat = graph.Node("Reshape", [Head.ExportOnnx(graph, h), graph.Int64s("flat_shape", [0, -1])]);
        return graph.Node("Slice", [flat, graph.Int64s("zero", [0]), length, graph.Int64s("sample_axis", [1])]);
    }
}

/// <summary>The patch embedding's module: its one child "proj" (names patch_embedding.proj.weight and .bias, as the twin's).</summary>
internal sealed class PatchProjection : Module
{
    public PatchProjection(int channels, int model, int patch, Rng rng) => Proj = AddModule("proj", new Conv1d(channels, model, patch, rng, stride: patch));

    public Conv1d Proj { get; }
}
