using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

/// <summary>
/// One recorded operation. Its forward saved what its backward needs; <see cref="Backward"/>
/// reads the output gradient and accumulates (+=) into the gradients of its inputs.
/// Nodes are pooled by the tape and reused every step.
/// </summary>
public abstract class Node
{
    internal Tensor Output = null!;

    /// <summary>Operation name used in error messages.</summary>
    public abstract string Name { get; }

    internal abstract void Backward(Tape tape);
}
