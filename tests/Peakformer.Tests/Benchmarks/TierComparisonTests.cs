using Peakformer.Benchmarks;
using Peakformer.Engine.Kernels;

namespace Peakformer.Tests.Benchmarks;

public class TierComparisonTests
{
    [Fact]
    public void Every_supported_tier_runs_once_forced_and_the_narrower_ones_without_the_wider_instructions()
    {
        var plan = TierComparison.Plan();
        Assert.Equal(KernelSettings.Supported.OrderDescending(), plan.Select(p => p.Tier));
        foreach (var (tier, env) in plan)
        {
            Assert.Equal(KernelSettings.Name(tier), env[KernelSettings.EnvironmentVariable]);
            bool below = tier < KernelSettings.Best;
            Assert.Equal(below && tier == KernelVariant.Vector256, env.ContainsKey("DOTNET_EnableAVX512"));
            Assert.Equal(below && tier == KernelVariant.Vector128 && KernelSettings.IsSupported(KernelVariant.Vector256),
                env.ContainsKey("DOTNET_EnableAVX2"));
        }
    }
}
