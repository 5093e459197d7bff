using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Tensors;

public class FiniteScanTests
{
    public static TheoryData<KernelVariant> Variants() => KernelScope.Variants();

    [Theory]
    [MemberData(nameof(Variants))]
    public void Finds_the_first_non_finite_value_at_every_position_and_length(KernelVariant variant)
    {
        using var scope = KernelScope.Use(variant);
        foreach (float bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
            for (int length = 1; length <= 70; length++)
                for (int at = 0; at < length; at++)
                {
                    var values = Enumerable.Range(0, length).Select(i => (float)Math.Sin(i) * 3e38f).ToArray();
                    values[at] = bad;
                    if (at + 2 < length) values[at + 2] = float.NaN; // a later one does not win
                    Assert.Equal(at, FiniteScan.IndexOfNonFinite(values));
                }
    }

    [Fact]
    public void All_finite_values_give_minus_one_including_the_extremes()
    {
        float[] values = [float.MaxValue, float.MinValue, float.Epsilon, -0f, 0f, 1e-45f, .. Enumerable.Repeat(1f, 40)];
        Assert.Equal(-1, FiniteScan.IndexOfNonFinite(values));
        Assert.Equal(-1, FiniteScan.IndexOfNonFinite([]));
    }
}
