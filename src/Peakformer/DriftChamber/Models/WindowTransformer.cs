using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Onnx;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// Encoder-only transformer that scores one candidate window: x[B, W] → logit[B]. Parameter names follow the
/// equivalent PyTorch module (embedding, encoder.layers.N.*, head.0, head.3).
/// </summary>
public sealed class WindowTransformer : Module, IPeakModel
{
    private readonly SinusoidalPositionalEncoding _positions;

    public WindowTransformer(WindowTransformerConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        Embedding = AddModule("embedding", new Linear(1, config.Model, rng));
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
        Head = AddModule("head", new Sequential(
            new Linear(config.Model, config.HeadHidden, rng),
            new Activation(config.Activation),
            new Dropout(config.FeedForwardDropout, rng),
            new Linear(config.HeadHidden, 1, rng)));
    }

    public WindowTransformerConfig Config { get; }
    public string Kind => DriftChamberModels.WindowTransformer.Name;
    public PeakTask Task => PeakTask.Window;
    Module Learning.Training.ITrainable.Module => this;
    object IPeakModel.Config => Config;
    public int WindowLength => Config.WindowLength;
    public Linear Embedding { get; }
    public TransformerEncoder Encoder { get; }
    public Sequential Head { get; }

    /// <summary>windows[B, W] → logits[B] (apply a sigmoid for the signal probability).</summary>
    public Tensor Forward(Tape tape, Tensor windows)
    {
        if (windows.Shape.Rank != 2 || windows.Shape[1] != Config.WindowLength)
            throw new ArgumentException($"WindowTransformer: expected windows [batch, {Config.WindowLength}], got {windows.Shape}.");
        int b = windows.Shape[0], w = windows.Shape[1];
        var h = Embedding.Forward(tape, Ops.Reshape(tape, windows, new Shape(b, w, 1)));
        h = _positions.Forward(tape, h);
        h = Encoder.Forward(tape, h);
        var logits = Head.Forward(tape, Ops.MeanPool(tape, h));
        return Ops.Reshape(tape, logits, new Shape(b));
    }

    /// <summary>The same model in an ONNX graph: windows [batch, W] (mean-subtracted as <see cref="Windows.WindowCutter"/> cuts them) → logits [batch].</summary>
    public string ExportOnnx(OnnxGraph graph, string windows)
    {
        int w = Config.WindowLength;
        var h = Embedding.ExportOnnx(graph, graph.Node("Reshape", [windows, graph.Int64s("samples_shape", [0, w, 1])]));
        h = Encoder.ExportOnnx(graph, _positions.ExportOnnx(graph, h, w));
        var logits = Head.ExportOnnx(graph, graph.Node("ReduceMean", [h], null, ("axes", new long[] { 1 }), ("keepdims", 0L)));
        return graph.Node("Reshape", [logits, graph.Int64s("batch_shape", [-1])]);
    }
}
