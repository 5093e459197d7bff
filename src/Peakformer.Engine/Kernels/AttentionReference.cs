namespace Peakformer.Engine.Kernels;

/// <summary>Plain scaled-dot-product attention with the full L x L weights per head: the reference for the fast kernel.</summary>
internal static class AttentionReference
{
    // Row buffers kept per thread: a training step allocates nothing, also under the reference kernels.
    [ThreadStatic] private static float[]? _p, _dp;

    private static Span<float> Row(ref float[]? slot, int length)
    {
        if (slot is null || slot.Length < length) slot = new float[length];
        return slot.AsSpan(0, length);
    }

    public static void Forward(AttentionShape a, ReadOnlySpan<float> qkv, Span<float> output, Span<float> lse)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        var p = Row(ref _p, L);
        for (int b = 0; b < a.Batch; b++)
            for (int h = 0; h < a.Heads; h++)
                for (int i = 0; i < L; i++)
                {
                    float max = Scores(a, qkv, b, h, i, p);
                    int oo = (b * L + i) * D + h * Dh;
                    if (float.IsNegativeInfinity(max))
                    {
                        output.Slice(oo, Dh).Clear();
                        lse[(b * a.Heads + h) * L + i] = float.NegativeInfinity;
                        continue;
                    }
                    double sum = 0;
                    for (int j = 0; j < L; j++) sum += Math.Exp(p[j] - max);
                    lse[(b * a.Heads + h) * L + i] = max + (float)Math.Log(sum);
                    for (int j = 0; j < L; j++) p[j] = (float)(Math.Exp(p[j] - max) / sum) * (a.Dropping ? a.Keep(b, h, i, j) : 1f);
                    for (int d = 0; d < Dh; d++)
                    {
                        float o = 0;
                        for (int j = 0; j < L; j++) o += p[j] * qkv[(b * L + j) * 3 * D + 2 * D + h * Dh + d];
                        output[oo + d] = o;
                    }
                }
    }

    /// <summary>The weights the forward pass forms row by row, kept whole: probabilities[B, H, L, L], no dropout.</summary>
    public static void Probabilities(AttentionShape a, ReadOnlySpan<float> qkv, Span<float> probabilities)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        for (int b = 0; b < a.Batch; b++)
            for (int h = 0; h < a.Heads; h++)
                for (int i = 0; i < L; i++)
                {
                    var p = probabilities.Slice(((b * a.Heads + h) * L + i) * L, L);
                    float max = Scores(a, qkv, b, h, i, p);
                    if (float.IsNegativeInfinity(max))
                    {
                        p.Clear();
                        continue;
                    }
                    double sum = 0;
                    for (int j = 0; j < L; j++) sum += Math.Exp(p[j] - max);
                    for (int j = 0; j < L; j++) p[j] = (float)(Math.Exp(p[j] - max) / sum);
                }
    }

    public static void Backward(AttentionShape a, ReadOnlySpan<float> qkv, ReadOnlySpan<float> output, ReadOnlySpan<float> lse,
        ReadOnlySpan<float> dOutput, Span<float> dqkv)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        var p = Row(ref _p, L);
        var dp = Row(ref _dp, L);
        for (int b = 0; b < a.Batch; b++)
            for (int h = 0; h < a.Heads; h++)
                for (int i = 0; i < L; i++)
                {
                    float rowLse = lse[(b * a.Heads + h) * L + i];
                    if (float.IsNegativeInfinity(rowLse)) continue;
                    int qo = (b * L + i) * 3 * D + h * Dh;
                    int oo = (b * L + i) * D + h * Dh;
                    float rowDot = 0;
                    for (int d = 0; d < Dh; d++) rowDot += dOutput[oo + d] * output[oo + d];
                    for (int j = 0; j < L; j++)
                    {
                        int ko = (b * L + j) * 3 * D + D + h * Dh;
                        int vo = ko + D;
                        float s = 0, g = 0;
                        for (int d = 0; d < Dh; d++)
                        {
                            s += qkv[qo + d] * qkv[ko + d];
                            g += dOutput[oo + d] * qkv[vo + d];
                        }
                        p[j] = a.Masked(b, j) ? 0f : MathF.Exp(s * a.Scale - rowLse);
                        dp[j] = g;
                    }
                    for (int j = 0; j < L; j++)
                    {
                        if (p[j] == 0f) continue;
                        float z = a.Dropping ? a.Keep(b, h, i, j) : 1f;
                        float ds = p[j] * (dp[j] * z - rowDot) * a.Scale;
                        int ko = (b * L + j) * 3 * D + D + h * Dh;
                        int vo = ko + D;
                        for (int d = 0; d < Dh; d++)
                        {
                            dqkv[vo + d] += p[j] * z * dOutput[oo + d];
                            dqkv[qo + d] += ds * qkv[ko + d];
                            dqkv[ko + d] += ds * qkv[qo + d];
                        }
                    }
                }
    }

    /// <summary>Scaled scores of query i against every key into p (masked keys -inf); returns their maximum.</summary>
    private static float Scores(AttentionShape a, ReadOnlySpan<float> qkv, int b, int h, int i, Span<float> p)
    {
        int L = a.Length, D = a.Model, Dh = a.HeadDim;
        int qo = (b * L + i) * 3 * D + h * Dh;
        float max = float.NegativeInfinity;
        for (int j = 0; j < L; j++)
        {
            int ko = (b * L + j) * 3 * D + D + h * Dh;
            float s = 0;
            for (int d = 0; d < Dh; d++) s += qkv[qo + d] * qkv[ko + d];
            p[j] = a.Masked(b, j) ? float.NegativeInfinity : s * a.Scale;
            max = Math.Max(max, p[j]);
        }
        return max;
    }
}
