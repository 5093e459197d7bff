using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>Layer normalisation over the last dimension with a learned scale and shift.</summary>
    public static Tensor LayerNorm(Tape tape, Tensor x, Tensor weight, Tensor bias, float eps = 1e-5f)
    {
        int cols = x.Shape.Last;
        if (weight.Shape.Rank != 1 || weight.Shape[0] != cols || bias.Shape != weight.Shape)
            throw new ArgumentException($"LayerNorm: input {x.Shape} needs weight and bias of shape [{cols}], got {weight.Shape} and {bias.Shape}.");
        int rows = x.Shape.Rows;
        var y = tape.Empty(x.Shape);
        var (stats, offset) = tape.Scratch(2 * rows);
        RowKernels.LayerNormForward(x.Data, weight.Data, bias.Data, y.Data,
            stats.AsSpan(offset, rows), stats.AsSpan(offset + rows, rows), cols, eps);
        if (tape.Wants(x, weight, bias))
        {
            var node = tape.Record<LayerNormNode>(y);
            node.X = x;
            node.W = weight;
            node.B = bias;
            node.Stats = stats;
            node.StatsOffset = offset;
        }
        return tape.Produced(y, "LayerNorm");
    }

    /// <summary>Softmax over the last dimension (maximum subtracted first, so large logits are safe).</summary>
    public static Tensor Softmax(Tape tape, Tensor x) => SoftmaxCore(tape, x, log: false);

    /// <summary>Log-softmax over the last dimension.</summary>
    public static Tensor LogSoftmax(Tape tape, Tensor x) => SoftmaxCore(tape, x, log: true);

    private static Tensor SoftmaxCore(Tape tape, Tensor x, bool log)
    {
        var y = tape.Empty(x.Shape);
        RowKernels.Softmax(x.Data, y.Data, x.Shape.Last, log);
        if (tape.Wants(x))
        {
            var node = tape.Record<SoftmaxNode>(y);
            node.X = x;
            node.Log = log;
        }
        return tape.Produced(y, log ? "LogSoftmax" : "Softmax");
    }

    private sealed class LayerNormNode : Node
    {
        public Tensor X = null!, W = null!, B = null!;
        public float[] Stats = null!;
        public int StatsOffset;
        public override string Name => "LayerNorm";

        internal override void Backward(Tape tape)
        {
            int cols = X.Shape.Last, rows = X.Shape.Rows;
            var (scratch, so) = tape.Scratch(2 * cols);
            var (dx, accumulate) = X.RequiresGrad ? tape.GradTarget(X) : (null, false);
            RowKernels.LayerNormBackward(X.Data, W.Data, Output.Grad!.Data,
                Stats.AsSpan(StatsOffset, rows), Stats.AsSpan(StatsOffset + rows, rows),
                dx is null ? default : dx.Data, accumulate,
                W.RequiresGrad ? tape.GradOf(W).Data : default,
                B.RequiresGrad ? tape.GradOf(B).Data : default,
                cols, scratch.AsSpan(so, 2 * cols));
        }
    }

    private sealed class SoftmaxNode : Node
    {
        public Tensor X = null!;
        public bool Log;
        public override string Name => Log ? "LogSoftmax" : "Softmax";

        internal override void Backward(Tape tape) =>
            RowKernels.SoftmaxBackward(Output.Data, Output.Grad!.Data, tape.GradOf(X).Data, X.Shape.Last, Log);
    }
}
