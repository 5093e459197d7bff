using Peakformer.DriftChamber.Counting;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Onnx;
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

    /// <summary>
    /// The same model in an ONNX graph: tokens [batch, MaxTokens x Features] → standardised count [batch]. The token
    /// axis stays at MaxTokens (no slicing to the longest sequence: padded keys weigh 0, so the counts are the same);
    /// the mask is read from the validity column inside the graph, and the pool divides by at least 1, so a row
    /// without peaks gets the finite count Peakformer gives it (the pooled vector 0).
    /// </summary>
    public string ExportOnnx(OnnxGraph graph, string input)
    {
        int n = PeakTokens.MaxTokens, f = PeakTokens.Features;
        var tokens = graph.Node("Reshape", [input, graph.Int64s("tokens_shape", [0, n, f])]);
        // valid = tokens[:, :, f - 1] > 0.5, as Forward reads it; the attention mask is its complement as 1/0.
        var valid = graph.Node("Greater", [graph.Node("Gather", [tokens, graph.Int64s("validity_column", [f - 1], [])], null, ("axis", 2L)), graph.Floats("half", [0.5f])]);
        var kept = graph.Node("Cast", [valid], null, ("to", 1L));
        var padded = graph.Node("Cast", [graph.Node("Not", [valid])], null, ("to", 1L));
        var h = Embedding.ExportOnnx(graph, tokens);
        h = Encoder.ExportOnnx(graph, _positions.ExportOnnx(graph, h, n), padded);
        // Masked mean pool: Σ kept h / max(Σ kept, 1).
        var sum = graph.Node("ReduceSum", [graph.Node("Mul", [h, graph.Node("Unsqueeze", [kept, graph.Int64s("feature_axis", [2])])]), graph.Int64s("token_axis", [1])], null, ("keepdims", 0L));
        var count = graph.Node("Max", [graph.Node("ReduceSum", [kept, graph.Int64s("token_axis", [1])], null, ("keepdims", 1L)), graph.Floats("one", [1f])]);
        var pooled = graph.Node("Div", [sum, count]);
        var output = Output.ExportOnnx(graph, graph.Node("Relu", [Dense.ExportOnnx(graph, pooled)]));
        return graph.Node("Reshape", [output, graph.Int64s("batch_shape", [-1])]);
    }
}
