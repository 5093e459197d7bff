using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Tensors;

namespace Peakformer.DriftChamber.Models;

/// <summary>What a peak model scores: one candidate window, or every bin of a whole waveform.</summary>
public enum PeakTask
{
    Window,
    PerBin,
}

/// <summary>A trainable peak model: windows[B, W] → logits[B], or waveforms[B, L] → logits[B, L].</summary>
public interface IPeakModel : Learning.Training.ITrainable
{
    /// <summary>The registered kind's name, stored in checkpoints (see <see cref="DriftChamberModels"/>).</summary>
    string Kind { get; }
    PeakTask Task { get; }
    /// <summary>The model's config record (serialised into the checkpoint).</summary>
    object Config { get; }
    /// <summary>Samples per window for window models, 0 for whole-waveform models.</summary>
    int WindowLength { get; }
}
