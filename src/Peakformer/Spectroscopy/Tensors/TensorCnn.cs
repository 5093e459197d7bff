using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;
using Peakformer.Spectroscopy.Models;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// Predicts a mode's lab-frame Raman tensor from its polarised spectra: examples [B, C * L] (C channels of L points,
/// as <see cref="TensorSet"/> stores them) → R_hat [B, 9]. The network is the spectrum CNN (<see cref="SpectrumCnn"/>)
/// with C input channels and 9 outputs, registered at this module's level, so the parameters keep its PyTorch names
/// (features.*, head.*; python/peakformer_torch.py, kind "raman-tensor-cnn").
/// </summary>
public sealed class TensorCnn : Module, ITrainable
{
    public const string KindName = "raman-tensor-cnn";

    public TensorCnn(TensorCnnConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        Network = AddModule("", new SpectrumCnn(config.Trunk(), rng));
    }

    public TensorCnnConfig Config { get; }
    public SpectrumCnn Network { get; }
    Module ITrainable.Module => this;

    /// <summary>examples [B, C * L] or [B, C, L] → R_hat [B, 9], recorded on the tape.</summary>
    public Tensor Forward(Tape tape, Tensor examples)
    {
        int channels = Config.InChannels, length = Config.Length;
        if (examples.Shape.Rank == 2 && examples.Shape[1] == channels * length)
            examples = Ops.Reshape(tape, examples, new Shape(examples.Shape[0], channels, length));
        return Network.Forward(tape, examples);
    }
}
