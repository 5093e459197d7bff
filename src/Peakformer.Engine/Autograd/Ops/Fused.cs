using Peakformer.Engine.Kernels;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// x + dropout(sublayer), one pass each way: the residual connection of a pre-norm block.
    /// Equal to Add(x, Dropout(sublayer)).
    /// </summary>
    public static Tensor Residual(Tape tape, Tensor x, Tensor sublayer, float p, bool training, Rng rng)
    {
        SameShape("Residual", x.Shape, sublayer.Shape);
        var (mask, maskOffset) = DrawMask(tape, x.Size, p, training, rng);
        var y = tape.Empty(x.Shape);
        if (mask is null) Elementwise.Map<ActivationFunctions.Add>(x.Data, sublayer.Data, y.Data);
        else
        {
            Elementwise.Map<ActivationFunctions.Multiply>(sublayer.Data, mask.AsSpan(maskOffset, x.Size), y.Data);
            Elementwise.AddInPlace(x.Data, y.Data);
        }
        if (tape.Wants(x, sublayer))
        {
            var node = tape.Record<ResidualNode>(y);
            (node.X, node.Sub, node.Mask, node.MaskOffset) = (x, sublayer, mask, maskOffset);
        }
        return tape.Produced(y, "Residual");
    }

    /// <summary>
    /// LayerNorm(x + dropout(sublayer)): the residual connection and norm of a post-norm block (PyTorch's default),
    /// fused. Equal to LayerNorm(Add(x, Dropout(sublayer))).
    /// </summary>
    public static Tensor ResidualLayerNorm(Tape tape, Tensor x, Tensor sublayer, float p, bool training, Rng rng,
        Tensor weight, Tensor bias, float eps = 1e-5f)
    {
        var sum = Residual(tape, x, sublayer, p, training, rng);
        return LayerNorm(tape, sum, weight, bias, eps);
    }

    /// <summary>dropout(activation(x)) in one pass each way (the inside of a transformer's feed-forward block).</summary>
    public static Tensor ActivationDropout(Tape tape, Tensor x, ActivationKind kind, float p, bool training, Rng rng)
    {
        if (kind is not (ActivationKind.Gelu or ActivationKind.Relu)) return Dropout(tape, Activation.Apply(tape, x, kind), p, training, rng);
        var (mask, maskOffset) = DrawMask(tape, x.Size, p, training, rng);
        if (mask is null) return Activation.Apply(tape, x, kind);
        var y = tape.Empty(x.Shape);
        if (kind == ActivationKind.Gelu) Elementwise.Map<ActivationFunctions.GeluErf>(x.Data, y.Data);
        else Elementwise.Map<ActivationFunctions.Relu>(x.Data, y.Data);
        Elementwise.Map<ActivationFunctions.Multiply>(y.Data, mask.AsSpan(maskOffset, x.Size), y.Data);
        if (tape.Wants(x))
        {
            var node = tape.Record<ActivationDropoutNode>(y);
            (node.X, node.Kind, node.Mask, node.MaskOffset) = (x, kind, mask, maskOffset);
        }
        return tape.Produced(y, "ActivationDropout");
    }

    /// <summary>A dropout mask (0 or 1/(1-p)) in scratch memory, or null when dropout is off.</summary>
    private static (float[]? Mask, int Offset) DrawMask(Tape tape, int size, float p, bool training, Rng rng)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: probability must be in [0, 1), got {p}.");
        if (!training || p == 0) return (null, 0);
        var (mask, offset) = tape.Scratch(size);
        new DropoutMask(rng.NextUInt64(), p).Fill(mask.AsSpan(offset, size), 0);
        return (mask, offset);
    }

    private sealed class ResidualNode : Node
    {
        public Tensor X = null!, Sub = null!;
        public float[]? Mask;
        public int MaskOffset;
        public override string Name => "Residual";

        internal override void Backward(Tape tape)
        {
            var dy = Output.Grad!.Data;
            if (X.RequiresGrad)
            {
                var (dx, accumulate) = tape.GradTarget(X);
                if (accumulate) Elementwise.AddInPlace(dy, dx.Data);
                else dy.CopyTo(dx.Data);
            }
            if (Sub.RequiresGrad)
            {
                var (ds, accumulate) = tape.GradTarget(Sub);
                if (Mask is null)
                {
                    if (accumulate) Elementwise.AddInPlace(dy, ds.Data);
                    else dy.CopyTo(ds.Data);
                }
                else Elementwise.Map<ActivationFunctions.Multiply>(dy, Mask.AsSpan(MaskOffset, Sub.Size), ds.Data, accumulate);
            }
        }
    }

    private sealed class ActivationDropoutNode : Node
    {
        public Tensor X = null!;
        public ActivationKind Kind;
        public float[] Mask = null!;
        public int MaskOffset;
        public override string Name => "ActivationDropout";

        internal override void Backward(Tape tape)
        {
            // dx = act'(x) * (mask * dy); the masked gradient goes through scratch memory.
            var (scratch, so) = tape.Scratch(X.Size);
            var masked = scratch.AsSpan(so, X.Size);
            Elementwise.Map<ActivationFunctions.Multiply>(Output.Grad!.Data, Mask.AsSpan(MaskOffset, X.Size), masked);
            var (dx, accumulate) = tape.GradTarget(X);
            if (Kind == ActivationKind.Gelu) Elementwise.Map<ActivationFunctions.GeluErfBackward>(X.Data, masked, dx.Data, accumulate);
            else Elementwise.Map<ActivationFunctions.ReluBackward>(X.Data, masked, dx.Data, accumulate);
        }
    }
}
