using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// waveforms[B, L] → standardised count[B] = (Σ_t softplus(z_t) - mean) / scale, z the per-bin outputs of a
/// <see cref="PerBinTransformer"/> ("backbone"). The head bias starts at softplus^-1(mean / L), so the untrained
/// model already predicts the mean count.
/// </summary>
public sealed class OneStepCounter : Module, ICountModel
{
    public OneStepCounter(OneStepCounterConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        Backbone = AddModule("backbone", new PerBinTransformer(config.Backbone, rng));
        double rate = Math.Max(config.TargetMean, 1e-3) / config.Samples;
        Backbone.Head.Bias!.Value.Data.Fill((float)Math.Log(Math.Exp(rate) - 1));
    }

    public OneStepCounterConfig Config { get; }
    public PerBinTransformer Backbone { get; }

    public string Kind => DriftChamberModels.OneStepCounter.Name;
    object ICountModel.Config => Config;
    Module Learning.Training.ITrainable.Module => this;
    public bool ReadsWaveform => true;
    public double TargetMean => Config.TargetMean;
    public double TargetScale => Config.TargetScale;

    public Tensor Forward(Tape tape, Tensor waveforms)
    {
        int b = waveforms.Shape[0], l = waveforms.Shape[1];
        var rates = Ops.Softplus(tape, Backbone.Forward(tape, waveforms));
        var mean = Ops.MeanPool(tape, Ops.Reshape(tape, rates, new Shape(b, l, 1)));        // [B, 1] = Σ / L
        var shift = tape.From([(float)(-Config.TargetMean / Config.TargetScale)], new Shape(1));
        var count = Ops.Add(tape, Ops.Scale(tape, mean, (float)(l / Config.TargetScale)), shift);
        return Ops.Reshape(tape, count, new Shape(b));
    }

    /// <summary>
    /// The same model in an ONNX graph: waveforms [batch, L] (L up to <paramref name="maxLength"/>) → standardised
    /// count [batch], the backbone's own export followed by softplus, the mean over bins times L / scale, minus mean / scale.
    /// </summary>
    public string ExportOnnx(Engine.Onnx.OnnxGraph graph, string waveforms, int maxLength)
    {
        var rates = graph.Node("Softplus", [Backbone.ExportOnnx(graph, waveforms, maxLength)]);
        var mean = graph.Node("ReduceMean", [rates], null, ("axes", new long[] { 1 }), ("keepdims", 0L));
        var length = graph.Node("Cast", [graph.Node("Shape", [waveforms], null, ("start", 1L), ("end", 2L))], null, ("to", 1L));
        var perScale = graph.Node("Div", [length, graph.Floats("scale", [(float)Config.TargetScale])]);
        return graph.Node("Add", [graph.Node("Mul", [mean, perScale]), graph.Floats("shift", [(float)(-Config.TargetMean / Config.TargetScale)])]);
    }
}
