using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>A learned tensor. Its value and gradient live in the flat buffers of a <see cref="ParameterSet"/> once one is made.</summary>
public sealed class Parameter
{
    internal Parameter(Tensor value)
    {
        Value = value;
        Value.WithGrad();
    }

    public Tensor Value { get; }

    public Shape Shape => Value.Shape;

    public Tensor Grad => Value.Grad!;
}
