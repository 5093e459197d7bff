using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Models;

/// <summary>windows[B, W] → logits[B]: LSTM over the samples, its last hidden state through dense + ReLU + output. Names: lstm.*, dense, output.</summary>
public sealed class WindowLstm : Module, IPeakModel
{
    public WindowLstm(WindowLstmConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        Lstm = AddModule("lstm", new Lstm(1, config.Hidden, rng));
        Dense = AddModule("dense", new Linear(config.Hidden, config.Dense, rng));
        Output = AddModule("output", new Linear(config.Dense, 1, rng));
    }

    public WindowLstmConfig Config { get; }
    public Lstm Lstm { get; }
    public Linear Dense { get; }
    public Linear Output { get; }

    public string Kind => DriftChamberModels.WindowLstm.Name;
    public PeakTask Task => PeakTask.Window;
    Module Learning.Training.ITrainable.Module => this;
    object IPeakModel.Config => Config;
    public int WindowLength => Config.WindowLength;

    public Tensor Forward(Tape tape, Tensor windows)
    {
        if (windows.Shape.Rank != 2 || windows.Shape[1] != Config.WindowLength)
            throw new ArgumentException($"WindowLstm: expected windows [batch, {Config.WindowLength}], got {windows.Shape}.");
        int b = windows.Shape[0], w = windows.Shape[1];
        var states = Lstm.Forward(tape, Ops.Reshape(tape, windows, new Shape(b, w, 1)));
        var last = Ops.Reshape(tape, Ops.Slice(tape, states, 1, w - 1, 1), new Shape(b, Config.Hidden));
        var h = Ops.Relu(tape, Dense.Forward(tape, last));
        return Ops.Reshape(tape, Output.Forward(tape, h), new Shape(b));
    }

    /// <summary>The same model in an ONNX graph: windows [batch, W] (mean-subtracted) → logits [batch].</summary>
    public string ExportOnnx(Engine.Onnx.OnnxGraph graph, string windows)
    {
        int w = Config.WindowLength;
        var states = Lstm.ExportOnnx(graph, graph.Node("Reshape", [windows, graph.Int64s("samples_shape", [0, w, 1])]));
        var last = graph.Node("Gather", [states, graph.Int64s("last_sample", [w - 1], [])], null, ("axis", 1L));
        var logits = Output.ExportOnnx(graph, graph.Node("Relu", [Dense.ExportOnnx(graph, last)]));
        return graph.Node("Reshape", [logits, graph.Int64s("batch_shape", [-1])]);
    }
}
