using System.Runtime.Intrinsics;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Fused multi-head scaled-dot-product self-attention on packed projections qkv[B, L, 3D] → [B, L, D].
    /// keyPaddingMask [B, L]: non-zero marks a padded key that no query may attend to (PyTorch's
    /// key_padding_mask=True). A query whose keys are all padded gets a zero output. Dropout is applied to
    /// the attention weights when training. Memory is linear in L: no L x L matrix is stored.
    /// </summary>
    public static Tensor Attention(Tape tape, Tensor qkv, int heads, Tensor? keyPaddingMask = null,
        float dropout = 0f, bool training = false, Rng? rng = null)
    {
        if (qkv.Shape.Rank != 3 || qkv.Shape[2] % 3 != 0 || heads <= 0 || qkv.Shape[2] / 3 % heads != 0)
            throw new ArgumentException($"Attention: expected packed qkv [batch, length, 3 * model] with model divisible by {heads} heads, got {qkv.Shape}.");
        int b = qkv.Shape[0], l = qkv.Shape[1], d = qkv.Shape[2] / 3;
        if (keyPaddingMask is not null && keyPaddingMask.Shape != new Shape(b, l))
            throw new ArgumentException($"Attention: key padding mask {keyPaddingMask.Shape} does not match qkv {qkv.Shape} (expected [{b}, {l}]).");
        if (dropout < 0 || dropout >= 1) throw new ArgumentOutOfRangeException(nameof(dropout), $"Attention: dropout must be in [0, 1), got {dropout}.");
        float p = training ? dropout : 0f;
        if (p > 0 && rng is null) throw new ArgumentException("Attention: dropout while training needs a random generator.");
        var shape = new AttentionShape(b, l, heads, d / heads, keyPaddingMask?.Buffer, keyPaddingMask?.Offset ?? 0,
            p, p > 0 ? rng!.NextUInt64() : 0UL);
        var y = tape.Empty(new Shape(b, l, d));
        var (lse, lo) = tape.Scratch(b * heads * l);
        RunAttention(shape, qkv, y, lse, lo, null, null);
        if (tape.Wants(qkv))
        {
            var node = tape.Record<AttentionNode>(y);
            node.Qkv = qkv;
            node.Geometry = shape;
            node.Lse = lse;
            node.LseOffset = lo;
        }
        return tape.Produced(y, "Attention");
    }

    /// <summary>
    /// The attention probabilities softmax(Q K^T / sqrt(Dh)) of every head from packed qkv[B, L, 3D], written to
    /// probabilities[B, H, L, L] (row: query, column: key). Masked keys get 0, a query whose keys are all masked a
    /// zero row. For inspection at inference: the fused kernel never forms these, so asking is a separate pass.
    /// </summary>
    public static void AttentionProbabilities(Tensor qkv, int heads, Tensor probabilities, Tensor? keyPaddingMask = null)
    {
        if (qkv.Shape.Rank != 3 || qkv.Shape[2] % 3 != 0 || heads <= 0 || qkv.Shape[2] / 3 % heads != 0)
            throw new ArgumentException($"AttentionProbabilities: expected packed qkv [batch, length, 3 * model] with model divisible by {heads} heads, got {qkv.Shape}.");
        int b = qkv.Shape[0], l = qkv.Shape[1], d = qkv.Shape[2] / 3;
        if (probabilities.Shape != new Shape(b, heads, l, l))
            throw new ArgumentException($"AttentionProbabilities: output {probabilities.Shape} is not [{b}, {heads}, {l}, {l}].");
        if (keyPaddingMask is not null && keyPaddingMask.Shape != new Shape(b, l))
            throw new ArgumentException($"AttentionProbabilities: key padding mask {keyPaddingMask.Shape} does not match qkv {qkv.Shape} (expected [{b}, {l}]).");
        var shape = new AttentionShape(b, l, heads, d / heads, keyPaddingMask?.Buffer, keyPaddingMask?.Offset ?? 0, 0f, 0UL);
        AttentionReference.Probabilities(shape, qkv.Data, probabilities.Data);
    }

    /// <summary>Forward when dy is null; else the backward pass, adding into dqkv or (accumulate false) writing it.</summary>
    private static unsafe void RunAttention(AttentionShape shape, Tensor qkv, Tensor y, float[] lse, int lo, Tensor? dy, Tensor? dqkv, bool accumulate = false)
    {
        var pool = WorkerPool.Shared;
        bool backward = dy is not null;
        var variant = KernelSettings.Variant;
        bool shortKernel = variant == KernelVariant.Vector512 && AttentionShort.Supports(shape);
        // Only the short kernel can write the gradient; the others add into it, so a new buffer starts at zero.
        if (backward && !accumulate && !shortKernel) dqkv!.Data.Clear();
        if (variant == KernelVariant.Reference)
        {
            var lseSpan = lse.AsSpan(lo, shape.Batch * shape.Heads * shape.Length);
            if (backward) AttentionReference.Backward(shape, qkv.Data, y.Data, lseSpan, dy!.Data, dqkv!.Data);
            else AttentionReference.Forward(shape, qkv.Data, y.Data, lseSpan);
            return;
        }
        fixed (float* pl = &lse[lo])
        {
            float* pq = qkv.Pointer, py = y.Pointer;
            if (shortKernel)
                AttentionShort.Run(shape, pq, py, pl, backward ? dy!.Pointer : null, backward ? dqkv!.Pointer : null, accumulate, pool);
            else if (variant == KernelVariant.Vector512)
            {
                if (backward) AttentionFast<Simd512, Vector512<float>>.Backward(shape, pq, py, pl, dy!.Pointer, dqkv!.Pointer, pool);
                else AttentionFast<Simd512, Vector512<float>>.Forward(shape, pq, py, pl, pool);
            }
            else if (variant == KernelVariant.Vector128)
            {
                if (backward) AttentionFast<Simd128, Vector128<float>>.Backward(shape, pq, py, pl, dy!.Pointer, dqkv!.Pointer, pool);
                else AttentionFast<Simd128, Vector128<float>>.Forward(shape, pq, py, pl, pool);
            }
            else
            {
                if (backward) AttentionFast<Simd256, Vector256<float>>.Backward(shape, pq, py, pl, dy!.Pointer, dqkv!.Pointer, pool);
                else AttentionFast<Simd256, Vector256<float>>.Forward(shape, pq, py, pl, pool);
            }
        }
    }

    private sealed class AttentionNode : Node
    {
        public Tensor Qkv = null!;
        public AttentionShape Geometry;
        public float[] Lse = null!;
        public int LseOffset;
        public override string Name => "Attention";

        internal override void Backward(Tape tape)
        {
            var (dqkv, accumulate) = tape.GradTarget(Qkv);
            RunAttention(Geometry, Qkv, Output, Lse, LseOffset, Output.Grad!, dqkv, accumulate);
        }
    }
}
