using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>A module with one input and one output, so it can sit in a <see cref="Sequential"/>.</summary>
public interface ILayer
{
    Tensor Forward(Tape tape, Tensor x);
}
