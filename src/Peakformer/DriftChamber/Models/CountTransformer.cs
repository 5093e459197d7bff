using Peakformer.DriftChamber.Counting;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// tokens[B, MaxTokens x Features] (see <see cref="PeakTokens"/>) → standardised count[B]: a linear token embedding with
/// sinusoidal PE over the peak order, an encoder that ignores padding tokens (key padding mask), a masked mean pool,
/// dense + ReLU and one output. Names: embedding, encoder.layers.0.*, dense, output.
/// </summary>
public sealed class CountTransformer : Module, ICountModel
{
    private readonly SinusoidalPositionalEncoding _positions;

    public CountTransformer(CountTransformerConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        Embedding = AddModule("embedding", new Linear(PeakTokens.Features, config.Model, rng));
        _positions = new SinusoidalPositionalEncoding(config.Model);
        Encoder = AddModule("encoder", new TransformerEncoder(new TransformerEncoderLayerOptions
        {
            Model = config.Model,
            Heads = config.Heads,
            FeedForward = config.FeedForward,
            AttentionDropout = config.Dropout,
            FeedForwardDropout = config.Dropout,
            Activation = ActivationKind.Relu,
        }, config.Layers, rng));
        Dense = AddModule("dense", new Linear(config.Model, config.Dense, rng));
        Output = AddModule("output", new Linear(config.Dense, 1, rng));
    }

    public CountTransformerConfig Config { get; }
    public Linear Embedding { get; }
    public TransformerEncoder Encoder { get; }
    public Linear Dense { get; }
    public Linear Output { get; }

    public string Kind => DriftChamberModels.CountTransformer.Name;
    object ICountModel.Config => Config;
    Module Learning.Training.ITrainable.Module => this;
    public bool ReadsWaveform => false;
    public double TargetMean => Config.TargetMean;
    public double TargetScale => Config.TargetScale;

    public Tensor Forward(Tape tape, Tensor input)
    {
        int b = input.Shape[0], n = PeakTokens.MaxTokens, f = PeakTokens.Features;
        if (input.Shape.Rank != 2 || input.Shape[1] != n * f)
            throw new ArgumentException($"CountTransformer: expected tokens [batch, {n * f}], got {input.Shape}.");
        // Tokens are packed from the front, so the batch only needs its longest sequence: the rest is padding, which
        // the mask hides from attention and pooling anyway.
        var x = input.Data;
        int used = 1;
        for (int i = 0; i < b; i++)
            for (int k = n - 1; k >= used; k--)
                if (x[(i * n + k) * f + f - 1] > 0.5f) { used = k + 1; break; }
        // The padding mask is data, not a learned quantity: read it from the validity column.
        var mask = tape.Empty(new Shape(b, used));
        for (int i = 0; i < b; i++)
            for (int k = 0; k < used; k++) mask.Data[i * used + k] = x[(i * n + k) * f + f - 1] > 0.5f ? 0f : 1f;
        var tokens = Ops.Reshape(tape, input, new Shape(b, n, f));
        if (used < n) tokens = Ops.Slice(tape, tokens, 1, 0, used);
        var h = Embedding.Forward(tape, tokens);
        h = Encoder.Forward(tape, _positions.Forward(tape, h), mask);
        h = Ops.Relu(tape, Dense.Forward(tape, Ops.MeanPool(tape, h, mask)));
        return Ops.Reshape(tape, Output.Forward(tape, h), new Shape(b));
    }
}
