using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Tensors;

namespace Peakformer.Learning.Training;

/// <summary>A model the trainer can fit: inputs [B, InputSize] to outputs shaped like the targets.</summary>
public interface ITrainable
{
    Module Module { get; }
    Tensor Forward(Tape tape, Tensor input);
}
