using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Layers;

public class AttentionProbabilitiesTests
{
    /// <summary>
    /// MultiheadAttention's probabilities against a plain computation in doubles from its weights: Q = x Wq^T + bq,
    /// K = x Wk^T + bk per head, softmax(Q K^T / sqrt(Dh)) with masked keys left out; and the layer's output, from
    /// the fused kernel of every tier, equals (P V) Wo^T + bo, so they are the weights the layer used.
    /// </summary>
    [Theory, MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Probabilities_are_softmax_of_scaled_query_key_products_and_give_the_layers_output(KernelVariant variant)
    {
        using var scope = KernelScope.Use(variant);
        const int B = 2, L = 5, D = 6, H = 3, Dh = D / H;
        var rng = new Rng(21);
        var mha = new MultiheadAttention(D, H, 0.3f, rng);
        foreach (var (_, p) in mha.NamedParameters())
            foreach (ref float v in p.Value.Data) v += (float)(0.3 * rng.NextNormal());
        mha.Eval();
        var x = Make.Random(rng, B, L, D);
        var mask = Tensor.Zeros(B, L);
        mask.Data[L + 3] = 1; // the second sequence's fourth key is padding
        var probabilities = Tensor.Zeros(B, H, L, L);
        var y = mha.Forward(new Tape(gradients: false), x, mask, probabilities);
        Assert.Equal(mha.Forward(new Tape(gradients: false), x, mask).ToArray(), y.ToArray());

        var w = mha.InProjWeight.Value.Data.ToArray();
        var bias = mha.InProjBias.Value.Data.ToArray();
        double Project(int part, int b, int t, int feature)
        {
            int row = part * D + feature;
            double s = bias[row];
            for (int k = 0; k < D; k++) s += w[row * D + k] * x.Data[(b * L + t) * D + k];
            return s;
        }
        var wo = mha.OutProj.Weight.Value.Data.ToArray();
        var bo = mha.OutProj.Bias!.Value.Data.ToArray();
        for (int b = 0; b < B; b++)
        {
            var heads = new double[L, D]; // P V, heads side by side
            for (int h = 0; h < H; h++)
                for (int i = 0; i < L; i++)
                {
                    var scores = new double[L];
                    for (int j = 0; j < L; j++)
                    {
                        double s = 0;
                        for (int d = 0; d < Dh; d++) s += Project(0, b, i, h * Dh + d) * Project(1, b, j, h * Dh + d);
                        scores[j] = mask.Data[b * L + j] != 0 ? double.NegativeInfinity : s / Math.Sqrt(Dh);
                    }
                    double max = scores.Max(), sum = scores.Sum(s => Math.Exp(s - max));
                    for (int j = 0; j < L; j++)
                    {
                        double p = Math.Exp(scores[j] - max) / sum;
                        Assert.Equal(p, probabilities.Data[((b * H + h) * L + i) * L + j], 1e-6);
                        for (int d = 0; d < Dh; d++) heads[i, h * Dh + d] += p * Project(2, b, j, h * Dh + d);
                    }
                }
            for (int i = 0; i < L; i++)
                for (int o = 0; o < D; o++)
                {
                    double expected = bo[o];
                    for (int k = 0; k < D; k++) expected += wo[o * D + k] * heads[i, k];
                    Assert.Equal(expected, y.Data[(b * L + i) * D + o], 1e-5);
                }
        }
    }

    [Fact]
    public void A_wrong_output_shape_is_refused()
    {
        var qkv = Tensor.Zeros(2, 5, 18);
        Assert.Throws<ArgumentException>(() => Ops.AttentionProbabilities(qkv, 3, Tensor.Zeros(2, 3, 5, 4)));
    }
}
