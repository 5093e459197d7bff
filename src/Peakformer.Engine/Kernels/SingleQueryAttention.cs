using System.Numerics.Tensors;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Scaled-dot-product attention of one query per sequence over all its keys: q[B, D] against kv[B, L, 2D] (keys,
/// then values) → [B, D], every head. What a class-token head reads of the last encoder block; B·H·L·Dh products
/// are few beside the projections, so one plain kernel (span arithmetic that vectorises on every tier) serves
/// all tiers and is its own reference. The probabilities [B, H, L] are kept for the backward pass.
/// </summary>
internal static class SingleQueryAttention
{
    public static void Forward(int batch, int length, int model, int heads, ReadOnlySpan<float> q, ReadOnlySpan<float> kv,
        Span<float> output, Span<float> probabilities)
    {
        int d = model, dh = d / heads;
        float scale = 1f / MathF.Sqrt(dh);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
            {
                var query = q.Slice(b * d + h * dh, dh);
                var p = probabilities.Slice((b * heads + h) * length, length);
                for (int j = 0; j < length; j++) p[j] = scale * TensorPrimitives.Dot(query, Key(kv, b, j, h, length, d, dh));
                float max = TensorPrimitives.Max(p);
                float sum = 0;
                for (int j = 0; j < length; j++) sum += p[j] = MathF.Exp(p[j] - max);
                TensorPrimitives.Multiply(p, 1f / sum, p);
                var o = output.Slice(b * d + h * dh, dh);
                o.Clear();
                for (int j = 0; j < length; j++) TensorPrimitives.MultiplyAdd(Value(kv, b, j, h, length, d, dh), p[j], o, o);
            }
    }

    /// <summary>
    /// Gradients from dy[B, D]: dq[B, D] and dkv[B, L, 2D] (either may be empty when not wanted), written or, with
    /// the accumulate flags, added; <paramref name="ds"/> is scratch of L floats. ds_j = p_j (dy·v_j - Σ_i p_i dy·v_i); dq = scale Σ_j ds_j k_j;
    /// dk_j = scale ds_j q; dv_j = p_j dy.
    /// </summary>
    public static void Backward(int batch, int length, int model, int heads, ReadOnlySpan<float> q, ReadOnlySpan<float> kv,
        ReadOnlySpan<float> probabilities, ReadOnlySpan<float> dy, Span<float> dq, Span<float> dkv,
        bool accumulateQ, bool accumulateKv, Span<float> ds)
    {
        int d = model, dh = d / heads;
        float scale = 1f / MathF.Sqrt(dh);
        if (!accumulateQ) dq.Clear();
        if (!accumulateKv) dkv.Clear();
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
            {
                var p = probabilities.Slice((b * heads + h) * length, length);
                var g = dy.Slice(b * d + h * dh, dh);
                float c = 0;
                for (int j = 0; j < length; j++)
                {
                    ds[j] = TensorPrimitives.Dot(g, Value(kv, b, j, h, length, d, dh));
                    c += p[j] * ds[j];
                }
                for (int j = 0; j < length; j++) ds[j] = scale * p[j] * (ds[j] - c);
                if (!dq.IsEmpty)
                {
                    var dqh = dq.Slice(b * d + h * dh, dh);
                    for (int j = 0; j < length; j++) TensorPrimitives.MultiplyAdd(Key(kv, b, j, h, length, d, dh), ds[j], dqh, dqh);
                }
                if (!dkv.IsEmpty)
                {
                    var query = q.Slice(b * d + h * dh, dh);
                    for (int j = 0; j < length; j++)
                    {
                        var dk = dkv.Slice(((b * length + j) * 2) * d + h * dh, dh);
                        TensorPrimitives.MultiplyAdd(query, ds[j], dk, dk);
                        var dv = dkv.Slice(((b * length + j) * 2 + 1) * d + h * dh, dh);
                        TensorPrimitives.MultiplyAdd(g, p[j], dv, dv);
                    }
                }
            }
    }

    private static ReadOnlySpan<float> Key(ReadOnlySpan<float> kv, int b, int j, int h, int length, int d, int dh) =>
        kv.Slice((b * length + j) * 2 * d + h * dh, dh);

    private static ReadOnlySpan<float> Value(ReadOnlySpan<float> kv, int b, int j, int h, int length, int d, int dh) =>
        kv.Slice(((b * length + j) * 2 + 1) * d + h * dh, dh);
}
