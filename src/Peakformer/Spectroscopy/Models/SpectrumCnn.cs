using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// 1D CNN classifier of spectra (§4 of ../shared/reference/ters-ml-math-reference.md): spectra [B, L] (or
/// [B, in_channels, L]) → logits [B, classes]. Blocks Conv1d → BatchNorm1d → ReLU → MaxPool1d, the mean over the
/// length, dropout, linear head; parameters and buffers under the PyTorch twin's names (python/peakformer_torch.py,
/// kind "spectrum-cnn"): features.{4i}.weight/bias (conv), features.{4i+1}.weight/bias/running_mean/running_var/
/// num_batches_tracked (batch norm), head.weight/bias. Training mode (the default) normalises with batch statistics
/// and updates the running ones; <see cref="Module.Eval"/> before inference.
/// </summary>
public sealed class SpectrumCnn : Module, ITrainable
{
    public const string KindName = "spectrum-cnn";

    private readonly Tape _inference = new(gradients: false);
    private readonly List<(Conv1d Conv, BatchNorm1d Norm, MaxPool1d Pool)> _blocks = [];

    public SpectrumCnn(SpectrumCnnConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        var layers = new List<ILayer>();
        int cin = config.InChannels;
        foreach (int c in config.Channels)
        {
            var block = (new Conv1d(cin, c, config.KernelSize, rng, padding: config.KernelSize / 2), new BatchNorm1d(c), new MaxPool1d(config.Pool));
            _blocks.Add(block);
            layers.AddRange([block.Item1, block.Item2, new Activation(ActivationKind.Relu), block.Item3]);
            cin = c;
        }
        Features = AddModule("features", new Sequential([.. layers]));
        Dropout = AddModule("dropout", new Dropout(config.Dropout, rng));
        Head = AddModule("head", new Linear(cin, config.Classes, rng));
    }

    public SpectrumCnnConfig Config { get; }
    public string Kind => KindName;
    Module ITrainable.Module => this;
    public Sequential Features { get; }
    public Dropout Dropout { get; }
    public Linear Head { get; }

    /// <summary>spectra [B, L] or [B, in_channels, L] → logits [B, classes], recorded on the tape.</summary>
    public Tensor Forward(Tape tape, Tensor spectra)
    {
        int length = Config.Length, channels = Config.InChannels;
        bool flat = spectra.Shape.Rank == 2 && channels == 1 && spectra.Shape[1] == length;
        bool full = spectra.Shape.Rank == 3 && spectra.Shape[1] == channels && spectra.Shape[2] == length;
        if (!flat && !full)
            throw new ArgumentException($"SpectrumCnn: expected spectra [batch, {length}]{(channels == 1 ? "" : " (one channel)")} or [batch, {channels}, {length}], got {spectra.Shape}.");
        var x = flat ? Ops.Reshape(tape, spectra, new Shape(spectra.Shape[0], 1, length)) : spectra;
        // Each block's ReLU and pool run as one fused op (max commutes with ReLU; same values and gradients).
        foreach (var (conv, norm, pool) in _blocks)
            x = Ops.ReluMaxPool1d(tape, norm.Forward(tape, conv.Forward(tape, x)), pool.Kernel, pool.Stride);
        x = Ops.GlobalAvgPool1d(tape, x);
        x = Dropout.Forward(tape, x);
        return Head.Forward(tape, x);
    }

    /// <summary>
    /// The model in an ONNX graph (inference): spectra [B, L] (one input channel) or [B, in_channels, L] after value
    /// <paramref name="spectra"/> → logits [B, classes]; batch norm with its running statistics.
    /// </summary>
    public string ExportOnnx(Engine.Onnx.OnnxGraph graph, string spectra, bool flat)
    {
        string x = flat ? graph.Node("Unsqueeze", [spectra, graph.Int64s("channel_axis", [1])]) : spectra;
        x = Features.ExportOnnx(graph, x);
        x = graph.Node("Flatten", [graph.Node("GlobalAveragePool", [x])], null, ("axis", 1L));
        return Head.ExportOnnx(graph, Dropout.ExportOnnx(graph, x));
    }

    /// <summary>
    /// Inference without gradients: <paramref name="count"/> spectra (count x in_channels x length values) into
    /// logits (count x classes). The model must be in evaluation mode; a private tape is reused, so after the first
    /// call with the largest batch nothing is allocated.
    /// </summary>
    public void Logits(ReadOnlySpan<float> spectra, int count, Span<float> logits)
    {
        if (Training) throw new InvalidOperationException("SpectrumCnn.Logits: call Eval() first (training mode would update the running statistics).");
        int size = Config.InChannels * Config.Length;
        if (count < 1 || spectra.Length != count * size || logits.Length != count * Config.Classes)
            throw new ArgumentException($"SpectrumCnn.Logits: {count} spectra need {count * size} values and {count * Config.Classes} logits, got {spectra.Length} and {logits.Length}.");
        _inference.Reset();
        var x = _inference.From(spectra, new Shape(count, Config.InChannels, Config.Length));
        Forward(_inference, x).Data.CopyTo(logits);
    }
}
