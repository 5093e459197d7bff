using Peakformer.Engine.Tensors;

namespace Peakformer.Vision.Attention;

/// <summary>
/// Maps over the patches from a Vision Transformer's attention probabilities (attention[layer] is
/// [B, heads, S + 1, S + 1], token 0 the class token): the class token's attention per head, and attention rollout.
/// </summary>
public static class AttentionMaps
{
    /// <summary>Row 0, columns 1..S of every layer and head for image b: [layers, heads, S].</summary>
    public static float[] ClassTokenMaps(IReadOnlyList<Tensor> attention, int b)
    {
        var (heads, tokens) = Sizes(attention);
        int s = tokens - 1;
        var maps = new float[attention.Count * heads * s];
        for (int l = 0; l < attention.Count; l++)
            for (int h = 0; h < heads; h++)
            {
                var row = attention[l].Data.Slice(((b * heads + h) * tokens + 0) * tokens + 1, s);
                row.CopyTo(maps.AsSpan((l * heads + h) * s, s));
            }
        return maps;
    }

    /// <summary>
    /// Attention rollout (Abnar and Zuidema 2020) for image b: per layer the heads' mean plus the identity (the
    /// residual path), rows renormalised to 1, multiplied from the first layer to the last (R = A_L ... A_1); the
    /// class token's row over the patches [S]. In double, so rounding does not build up over the layers.
    /// </summary>
    public static float[] Rollout(IReadOnlyList<Tensor> attention, int b)
    {
        var (heads, t) = Sizes(attention);
        var rollout = Identity(t);
        var layer = new double[t * t];
        var next = new double[t * t];
        foreach (var a in attention)
        {
            var data = a.Data;
            for (int i = 0; i < t; i++)
            {
                double sum = 0;
                for (int j = 0; j < t; j++)
                {
                    double mean = 0;
                    for (int h = 0; h < heads; h++) mean += data[((b * heads + h) * t + i) * t + j];
                    double v = mean / heads + (i == j ? 1 : 0);
                    layer[i * t + j] = v;
                    sum += v;
                }
                for (int j = 0; j < t; j++) layer[i * t + j] /= sum;
            }
            // next = layer · rollout: the later layer on the left.
            for (int i = 0; i < t; i++)
                for (int j = 0; j < t; j++)
                {
                    double v = 0;
                    for (int k = 0; k < t; k++) v += layer[i * t + k] * rollout[k * t + j];
                    next[i * t + j] = v;
                }
            (rollout, next) = (next, rollout);
        }
        var map = new float[t - 1];
        for (int j = 1; j < t; j++) map[j - 1] = (float)rollout[j];
        return map;
    }

    private static double[] Identity(int t)
    {
        var m = new double[t * t];
        for (int i = 0; i < t; i++) m[i * t + i] = 1;
        return m;
    }

    private static (int Heads, int Tokens) Sizes(IReadOnlyList<Tensor> attention)
    {
        if (attention.Count == 0) throw new ArgumentException("AttentionMaps: no layers.");
        var s = attention[0].Shape;
        if (s.Rank != 4 || s[2] != s[3]) throw new ArgumentException($"AttentionMaps: expected [batch, heads, tokens, tokens], got {s}.");
        return (s[1], s[2]);
    }
}
