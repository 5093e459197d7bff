using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Multi-head scaled-dot-product attention of one query per sequence, q[B, D], over its keys and values packed
    /// as kv[B, L, 2D] (keys in the first D columns) → [B, D]: row 0 of <see cref="Attention"/> when q is the first
    /// token's query, at 1/L of the cost. No mask, no dropout.
    /// </summary>
    public static Tensor SingleQueryAttention(Tape tape, Tensor q, Tensor kv, int heads)
    {
        if (q.Shape.Rank != 2 || kv.Shape.Rank != 3 || kv.Shape[0] != q.Shape[0] || kv.Shape[2] != 2 * q.Shape[1]
            || heads <= 0 || q.Shape[1] % heads != 0)
            throw new ArgumentException($"SingleQueryAttention: expected q [batch, model] and kv [batch, length, 2 * model] with model divisible by {heads} heads, got {q.Shape} and {kv.Shape}.");
        int b = q.Shape[0], l = kv.Shape[1];
        var y = tape.Empty(q.Shape);
        var (p, po) = tape.Scratch(b * heads * l);
        Kernels.SingleQueryAttention.Forward(b, l, q.Shape[1], heads, q.Data, kv.Data, y.Data, p.AsSpan(po, b * heads * l));
        if (tape.Wants(q, kv))
        {
            var node = tape.Record<SingleQueryAttentionNode>(y);
            node.Q = q;
            node.Kv = kv;
            node.Heads = heads;
            node.P = p;
            node.POffset = po;
        }
        return tape.Produced(y, "SingleQueryAttention");
    }

    private sealed class SingleQueryAttentionNode : Node
    {
        public Tensor Q = null!, Kv = null!;
        public int Heads;
        public float[] P = null!;
        public int POffset;
        public override string Name => "SingleQueryAttention";

        internal override void Backward(Tape tape)
        {
            int b = Q.Shape[0], l = Kv.Shape[1];
            (Tensor? dq, bool accumulateQ) = Q.RequiresGrad ? tape.GradTarget(Q) : (null, false);
            (Tensor? dkv, bool accumulateKv) = Kv.RequiresGrad ? tape.GradTarget(Kv) : (null, false);
            var (ds, dso) = tape.Scratch(l);
            Kernels.SingleQueryAttention.Backward(b, l, Q.Shape[1], Heads, Q.Data, Kv.Data, P.AsSpan(POffset, b * Heads * l),
                Output.Grad!.Data, dq is null ? Span<float>.Empty : dq.Data, dkv is null ? Span<float>.Empty : dkv.Data,
                accumulateQ, accumulateKv, ds.AsSpan(dso, l));
        }
    }
}
