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
        SameShape("ResidualLayerNorm", x.Shape, sublayer.Shape);
        int cols = x.Shape.Last, rows = x.Shape.Rows;
        if (weight.Shape != new Shape(cols) || bias.Shape != weight.Shape)
            throw new ArgumentException($"ResidualLayerNorm: input {x.Shape} needs weight and bias of shape [{cols}], got {weight.Shape} and {bias.Shape}.");
        var (mask, maskOffset) = DrawMask(tape, x.Size, p, training, rng);
        var y = tape.Empty(x.Shape);
        var sum = tape.Empty(x.Shape);
        var (stats, so) = tape.Scratch(2 * rows);
        RowKernels.ResidualLayerNormForward(x.Data, sublayer.Data, mask is null ? default : mask.AsSpan(maskOffset, x.Size),
            weight.Data, bias.Data, sum.Data, y.Data, stats.AsSpan(so, rows), stats.AsSpan(so + rows, rows), cols, eps);
        if (tape.Wants(x, sublayer) || weight.RequiresGrad || bias.RequiresGrad)
        {
            var node = tape.Record<ResidualLayerNormNode>(y);
            (node.X, node.Sub, node.Sum, node.W, node.B) = (x, sublayer, sum, weight, bias);
            (node.Mask, node.MaskOffset, node.Stats, node.StatsOffset) = (mask, maskOffset, stats, so);
        }
        return tape.Produced(y, "ResidualLayerNorm");
    }

    /// <summary>dropout(activation(x)) in one pass each way (the inside of a transformer's feed-forward block).</summary>
    public static Tensor ActivationDropout(Tape tape, Tensor x, ActivationKind kind, float p, bool training, Rng rng)
    {
        if (kind is not (ActivationKind.Gelu or ActivationKind.Relu)) return Dropout(tape, Activation.Apply(tape, x, kind), p, training, rng);
        var (mask, maskOffset) = DrawMask(tape, x.Size, p, training, rng);
        if (mask is null) return Activation.Apply(tape, x, kind);
        var y = tape.Empty(x.Shape);
        var m = mask.AsSpan(maskOffset, x.Size);
        float[] cdf = [];
        int cdfOffset = 0;
        if (kind == ActivationKind.Gelu)
        {
            (cdf, cdfOffset) = tape.Scratch(x.Size);
            GeluKernels.Forward(x.Data, y.Data, cdf.AsSpan(cdfOffset, x.Size), m);
        }
        else
        {
            Elementwise.Map<ActivationFunctions.Relu>(x.Data, y.Data);
            Elementwise.Map<ActivationFunctions.Multiply>(y.Data, m, y.Data);
        }
        if (tape.Wants(x))
        {
            var node = tape.Record<ActivationDropoutNode>(y);
            (node.X, node.Kind, node.Mask, node.MaskOffset, node.Cdf, node.CdfOffset) = (x, kind, mask, maskOffset, cdf, cdfOffset);
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

    private sealed class ResidualLayerNormNode : Node
    {
        public Tensor X = null!, Sub = null!, Sum = null!, W = null!, B = null!;
        public float[]? Mask;
        public float[] Stats = null!;
        public int MaskOffset, StatsOffset;
        public override string Name => "ResidualLayerNorm";

        internal override void Backward(Tape tape)
        {
            int cols = X.Shape.Last, rows = X.Shape.Rows, n = X.Size;
            // d(sum) is written straight into x's gradient when that buffer is new, else into scratch and added.
            var (dx, accumulateX) = X.RequiresGrad ? tape.GradTarget(X) : (null, true);
            Span<float> dSum;
            if (dx is not null && !accumulateX) dSum = dx.Data;
            else
            {
                var (buffer, bo) = tape.Scratch(n);
                dSum = buffer.AsSpan(bo, n);
            }
            var (scratch, sco) = tape.Scratch(2 * cols);
            RowKernels.LayerNormBackward(Sum.Data, W.Data, Output.Grad!.Data, Stats.AsSpan(StatsOffset, rows), Stats.AsSpan(StatsOffset + rows, rows),
                dSum, false, W.RequiresGrad ? tape.GradOf(W).Data : default, B.RequiresGrad ? tape.GradOf(B).Data : default,
                cols, scratch.AsSpan(sco, 2 * cols));
            if (dx is not null && accumulateX) Elementwise.AddInPlace(dSum, dx.Data);
            if (Sub.RequiresGrad)
            {
                var (ds, accumulate) = tape.GradTarget(Sub);
                if (Mask is not null) Elementwise.Map<ActivationFunctions.Multiply>(dSum, Mask.AsSpan(MaskOffset, n), ds.Data, accumulate);
                else if (accumulate) Elementwise.AddInPlace(dSum, ds.Data);
                else dSum.CopyTo(ds.Data);
            }
        }
    }

    private sealed class ActivationDropoutNode : Node
    {
        public Tensor X = null!;
        public ActivationKind Kind;
        public float[] Mask = null!, Cdf = null!;
        public int MaskOffset, CdfOffset;
        public override string Name => "ActivationDropout";

        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            var mask = Mask.AsSpan(MaskOffset, X.Size);
            if (Kind == ActivationKind.Gelu)
            {
                GeluKernels.Backward(X.Data, Cdf.AsSpan(CdfOffset, X.Size), Output.Grad!.Data, mask, dx.Data, accumulate);
                return;
            }
            // ReLU: dx = relu'(x) (mask dy), the masked gradient going through scratch memory.
            var (scratch, so) = tape.Scratch(X.Size);
            var masked = scratch.AsSpan(so, X.Size);
            Elementwise.Map<ActivationFunctions.Multiply>(Output.Grad!.Data, mask, masked);
            Elementwise.Map<ActivationFunctions.ReluBackward>(X.Data, masked, dx.Data, accumulate);
        }
    }
}
