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
        var mask = DrawMask(p, training, rng);
        var y = tape.Empty(x.Shape);
        if (mask is not { } m) Elementwise.Map<ActivationFunctions.Add>(x.Data, sublayer.Data, y.Data);
        else
        {
            m.Apply(sublayer.Data, y.Data);
            Elementwise.AddInPlace(x.Data, y.Data);
        }
        if (tape.Wants(x, sublayer))
        {
            var node = tape.Record<ResidualNode>(y);
            (node.X, node.Sub, node.Mask) = (x, sublayer, mask);
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
        var mask = DrawMask(p, training, rng);
        var y = tape.Empty(x.Shape);
        var sum = tape.Empty(x.Shape);
        var (stats, so) = tape.Scratch(2 * rows);
        // Whole rows at a time, each block's dropout mask regenerated into a small buffer that stays in L1.
        int blockRows = mask is null ? rows : Math.Max(1, DropoutMask.ChunkLength / Math.Max(1, cols));
        var (buffer, bo) = mask is null ? ([], 0) : tape.Scratch(blockRows * cols);
        for (int r0 = 0; r0 < rows; r0 += blockRows)
        {
            int n = Math.Min(blockRows, rows - r0), o = r0 * cols, length = n * cols;
            Span<float> blockMask = default;
            if (mask is { } m)
            {
                blockMask = buffer.AsSpan(bo, length);
                m.Fill(blockMask, (uint)o);
            }
            RowKernels.ResidualLayerNormForward(x.Data.Slice(o, length), sublayer.Data.Slice(o, length), blockMask, weight.Data, bias.Data,
                sum.Data.Slice(o, length), y.Data.Slice(o, length), stats.AsSpan(so + r0, n), stats.AsSpan(so + rows + r0, n), cols, eps);
        }
        if (tape.Wants(x, sublayer) || weight.RequiresGrad || bias.RequiresGrad)
        {
            var node = tape.Record<ResidualLayerNormNode>(y);
            (node.X, node.Sub, node.Sum, node.W, node.B) = (x, sublayer, sum, weight, bias);
            (node.Mask, node.Stats, node.StatsOffset) = (mask, stats, so);
        }
        return tape.Produced(y, "ResidualLayerNorm");
    }

    /// <summary>dropout(activation(x)) in one pass each way (the inside of a transformer's feed-forward block).</summary>
    public static Tensor ActivationDropout(Tape tape, Tensor x, ActivationKind kind, float p, bool training, Rng rng)
    {
        if (kind is not (ActivationKind.Gelu or ActivationKind.Relu)) return Dropout(tape, Activation.Apply(tape, x, kind), p, training, rng);
        if (DrawMask(p, training, rng) is not { } mask) return Activation.Apply(tape, x, kind);
        var y = tape.Empty(x.Shape);
        float[] cdf = [];
        int cdfOffset = 0;
        if (kind == ActivationKind.Gelu)
        {
            (cdf, cdfOffset) = tape.Scratch(x.Size);
            var phi = cdf.AsSpan(cdfOffset, x.Size);
            Span<float> chunk = stackalloc float[DropoutMask.ChunkLength];
            for (int c = 0; c < x.Size; c += chunk.Length)
            {
                int n = Math.Min(chunk.Length, x.Size - c);
                mask.Fill(chunk[..n], (uint)c);
                GeluKernels.Forward(x.Data.Slice(c, n), y.Data.Slice(c, n), phi.Slice(c, n), chunk[..n]);
            }
        }
        else
        {
            Elementwise.Map<ActivationFunctions.Relu>(x.Data, y.Data);
            mask.Apply(y.Data, y.Data);
        }
        if (tape.Wants(x))
        {
            var node = tape.Record<ActivationDropoutNode>(y);
            (node.X, node.Kind, node.Mask, node.Cdf, node.CdfOffset) = (x, kind, mask, cdf, cdfOffset);
        }
        return tape.Produced(y, "ActivationDropout");
    }

    /// <summary>A dropout mask seeded by one draw from the generator (regenerated where applied), or null when dropout is off.</summary>
    private static DropoutMask? DrawMask(float p, bool training, Rng rng)
    {
        if (p < 0 || p >= 1) throw new ArgumentOutOfRangeException(nameof(p), $"Dropout: probability must be in [0, 1), got {p}.");
        if (!training || p == 0) return null;
        return new DropoutMask(rng.NextUInt64(), p);
    }

    private sealed class ResidualNode : Node
    {
        public Tensor X = null!, Sub = null!;
        public DropoutMask? Mask;
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
                if (Mask is { } mask) mask.Apply(dy, ds.Data, accumulate);
                else if (accumulate) Elementwise.AddInPlace(dy, ds.Data);
                else dy.CopyTo(ds.Data);
            }
        }
    }

    private sealed class ResidualLayerNormNode : Node
    {
        public Tensor X = null!, Sub = null!, Sum = null!, W = null!, B = null!;
        public DropoutMask? Mask;
        public float[] Stats = null!;
        public int StatsOffset;
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
                if (Mask is { } mask) mask.Apply(dSum, ds.Data, accumulate);
                else if (accumulate) Elementwise.AddInPlace(dSum, ds.Data);
                else dSum.CopyTo(ds.Data);
            }
        }
    }

    private sealed class ActivationDropoutNode : Node
    {
        public Tensor X = null!;
        public ActivationKind Kind;
        public DropoutMask Mask;
        public float[] Cdf = null!;
        public int CdfOffset;
        public override string Name => "ActivationDropout";

        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            var dy = Output.Grad!.Data;
            var phi = Cdf.AsSpan(CdfOffset, Cdf.Length == 0 ? 0 : X.Size);
            // The mask is regenerated a chunk at a time; for ReLU the chunk then holds the masked gradient.
            Span<float> chunk = stackalloc float[DropoutMask.ChunkLength];
            for (int c = 0; c < X.Size; c += chunk.Length)
            {
                int n = Math.Min(chunk.Length, X.Size - c);
                var m = chunk[..n];
                Mask.Fill(m, (uint)c);
                if (Kind == ActivationKind.Gelu)
                    GeluKernels.Backward(X.Data.Slice(c, n), phi.Slice(c, n), dy.Slice(c, n), m, dx.Data.Slice(c, n), accumulate);
                else
                {
                    Elementwise.Map<ActivationFunctions.Multiply>(dy.Slice(c, n), m, m);
                    Elementwise.Map<ActivationFunctions.ReluBackward>(X.Data.Slice(c, n), m, dx.Data.Slice(c, n), accumulate);
                }
            }
        }
    }
}
