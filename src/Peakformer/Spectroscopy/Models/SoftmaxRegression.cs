using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// Softmax regression: logits z = x W^T + b, spectra [B, L] → [B, K], trained by the same trainer and cross-entropy as
/// the neural kinds (no closed form; weight decay is its L2 penalty). Saved as a bare nn.Linear(L, K): "weight", "bias".
/// </summary>
public sealed class SoftmaxRegression : Module, ITrainable
{
    public SoftmaxRegression(SoftmaxRegressionConfig config, Rng rng)
    {
        config.Validate();
        Config = config;
        Linear = AddModule("", new Linear(config.Length, config.Classes, rng));
    }

    public SoftmaxRegressionConfig Config { get; }
    public Linear Linear { get; }
    Module ITrainable.Module => this;

    public Tensor Forward(Tape tape, Tensor spectra)
    {
        if (spectra.Shape.Rank != 2 || spectra.Shape[1] != Config.Length)
            throw new ArgumentException($"SoftmaxRegression: expected spectra [batch, {Config.Length}], got {spectra.Shape}.");
        return Linear.Forward(tape, spectra);
    }
}
