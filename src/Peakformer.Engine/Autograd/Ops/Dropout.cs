using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Inverted dropout: each value is zeroed with probability p and the rest scaled by 1/(1-p).
    /// Outside training (or with p = 0) it is the identity and returns x itself.
    /// </summary>
    public static Tensor Dropout(Tape tape, Tensor x, float p, bool training, Rng rng)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: probability must be in [0, 1), got {p}.");
        if (!training || p == 0) return x;
        var y = tape.Empty(x.Shape);
        // One draw from the generator seeds a counter-based mask: vectorised, exactly reproducible, and regenerated
        // in backward instead of stored.
        var mask = new DropoutMask(rng.NextUInt64(), p);
        mask.Apply(x.Data, y.Data);
        if (tape.Wants(x))
        {
            var node = tape.Record<DropoutNode>(y);
            node.X = x;
            node.Mask = mask;
        }
        return tape.Produced(y, "Dropout");
    }

    private sealed class DropoutNode : Node
    {
        public Tensor X = null!;
        public DropoutMask Mask;
        public override string Name => "Dropout";

        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            Mask.Apply(Output.Grad!.Data, dx.Data, accumulate);
        }
    }
}
