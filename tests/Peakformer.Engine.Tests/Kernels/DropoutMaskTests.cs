using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Kernels;

public class DropoutMaskTests
{
    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Fill_gives_the_scalar_factor_of_every_element_at_any_start(KernelVariant variant)
    {
        using var scope = KernelScope.Use(variant);
        var mask = new DropoutMask(0x0123456789ABCDEFUL, 0.3f);
        // Starts off and on the 32-element blocks, lengths with partial blocks at both ends, and a start that wraps.
        foreach (var (start, length) in new[] { (0u, 1), (0u, 1024), (5u, 77), (31u, 33), (64u, 96), (1000u, 3), (uint.MaxValue - 40, 100) })
        {
            var values = new float[length];
            mask.Fill(values, start);
            for (int i = 0; i < length; i++)
                Assert.True(mask.Factor(start + (uint)i) == values[i], $"{variant} start {start} element {i}: {values[i]}");
        }
    }

    [Fact]
    public void The_vector_form_for_scattered_indices_matches_the_scalar_factor()
    {
        if (!Avx512F.IsSupported) return;
        var mask = new DropoutMask(42UL, 0.25f);
        // Attention's lanes are one row of the L x L weights apart.
        foreach (uint first in new uint[] { 0, 7, 1_000_003, uint.MaxValue - 200 })
        {
            var index = Vector512.Create(first) + Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15) * Vector512.Create(15u);
            var factors = mask.Factors(index);
            for (int lane = 0; lane < 16; lane++) Assert.Equal(mask.Factor(index[lane]), factors[lane]);
        }
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.9f)]
    public void The_kept_fraction_is_one_minus_p_and_halves_of_one_hash_are_independent(float p)
    {
        const int n = 1 << 20;
        var values = new float[n];
        var mask = new DropoutMask(7UL, p);
        mask.Fill(values, 0);
        double kept = values.Count(v => v != 0) / (double)n;
        double sd = Math.Sqrt(p * (1 - p) / n);
        Assert.True(Math.Abs(kept - (1 - p)) < 5 * sd, $"p={p}: kept {kept}, expected {1 - p} +- {5 * sd}");
        Assert.All(values.Where(v => v != 0), v => Assert.Equal(1f / (1f - p), v));
        // Elements 16 apart share a hash (low and high halves), neighbours do not: both pairs must be uncorrelated.
        foreach (int gap in new[] { 1, 16 })
        {
            int pairs = 0, both = 0;
            for (int i = 0; i + gap < n; i += 32)
            {
                pairs++;
                if (values[i] != 0 && values[i + gap] != 0) both++;
            }
            double expected = (1 - p) * (1 - p), pairSd = Math.Sqrt(expected * (1 - expected) / pairs);
            Assert.True(Math.Abs(both / (double)pairs - expected) < 5 * pairSd, $"p={p} gap {gap}: both kept {both / (double)pairs}, expected {expected}");
        }
    }

    [Fact]
    public void Apply_multiplies_by_the_mask_and_can_add()
    {
        var mask = new DropoutMask(3UL, 0.4f);
        var x = Enumerable.Range(0, 2500).Select(i => 1f + i % 7).ToArray();
        var y = Enumerable.Repeat(0.5f, x.Length).ToArray();
        mask.Apply(x, y, accumulate: true, start: 11);
        for (int i = 0; i < x.Length; i++) Assert.Equal(0.5f + x[i] * mask.Factor(11 + (uint)i), y[i]);
    }
}
