using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Kernels;

/// <summary>Softmax, sum and y += s x in every variant (Vector128 runs its own, the others TensorPrimitives) against
/// double-precision sums written out here.</summary>
public class RowKernels128Tests
{
    public static TheoryData<KernelVariant> Variants() => KernelScope.Variants();

    private static readonly int[] Widths = [1, 3, 4, 5, 8, 17, 64];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Softmax_and_log_softmax_match_double_precision_also_for_large_logits(KernelVariant variant)
    {
        using var scope = KernelScope.Use(variant);
        foreach (int cols in Widths)
        {
            var x = Make.Floats(new Rng((ulong)cols), 3 * cols, scale: 5);
            x[0] = 100f;   // a raw logit far above the rest: the maximum must be subtracted first
            foreach (bool log in new[] { false, true })
            {
                var y = new float[x.Length];
                RowKernels.Softmax(x, y, cols, log);
                for (int r = 0; r < 3; r++)
                {
                    double max = Enumerable.Range(0, cols).Max(i => (double)x[r * cols + i]);
                    double sum = Enumerable.Range(0, cols).Sum(i => Math.Exp(x[r * cols + i] - max));
                    for (int i = 0; i < cols; i++)
                    {
                        double z = x[r * cols + i] - max;
                        double expected = log ? z - Math.Log(sum) : Math.Exp(z) / sum;
                        Assert.True(Math.Abs(y[r * cols + i] - expected) <= 2e-6 * (1 + Math.Abs(expected)),
                            $"{variant} cols={cols} log={log}: {y[r * cols + i]} vs {expected}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Sum_and_add_scaled_match_double_precision_on_whole_and_partial_vectors(KernelVariant variant)
    {
        using var scope = KernelScope.Use(variant);
        foreach (int n in Widths.Append(1001))
        {
            var rng = new Rng((ulong)n + 7);
            var x = Make.Floats(rng, n);
            var y = Make.Floats(rng, n);
            double expectedSum = x.Sum(v => (double)v);
            Assert.True(Math.Abs(Elementwise.Sum(x) - expectedSum) <= 1e-5 * (1 + x.Sum(v => Math.Abs((double)v))), $"{variant} n={n}");
            var expected = y.Select((v, i) => v + 0.75 * x[i]).ToArray();
            Elementwise.AddScaled(x, 0.75f, y);
            for (int i = 0; i < n; i++) Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-6 * (1 + Math.Abs(expected[i])), $"{variant} n={n} i={i}");
        }
    }
}
