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
        var (mask, offset) = tape.Scratch(x.Size);
        var m = mask.AsSpan(offset, x.Size);
        // One draw from the generator seeds a counter-based mask: vectorised and exactly reproducible.
        new DropoutMask(rng.NextUInt64(), p).Fill(m, 0);
        Elementwise.Map<ActivationFunctions.Multiply>(x.Data, m, y.Data);
        if (tape.Wants(x))
        {
            var node = tape.Record<DropoutNode>(y);
            node.X = x;
            node.Mask = mask;
            node.MaskOffset = offset;
        }
        return tape.Produced(y, "Dropout");
    }

    private sealed class DropoutNode : Node
    {
        public Tensor X = null!;
        public float[] Mask = null!;
        public int MaskOffset;
        public override string Name => "Dropout";

        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            Elementwise.Map<ActivationFunctions.Multiply>(Output.Grad!.Data, Mask.AsSpan(MaskOffset, X.Size), dx.Data, accumulate);
        }
    }
}
