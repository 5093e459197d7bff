using System.Runtime.Intrinsics;
using Peakformer.Engine.Kernels;

namespace Peakformer.Engine.Tests.Kernels;

public class KernelSettingsTests
{
    [Theory]
    [InlineData("vector128", KernelVariant.Vector128)]
    [InlineData("SSE", KernelVariant.Vector128)]
    [InlineData(" neon ", KernelVariant.Vector128)]
    [InlineData("avx2", KernelVariant.Vector256)]
    [InlineData("vector512", KernelVariant.Vector512)]
    [InlineData("reference", KernelVariant.Reference)]
    public void Parse_reads_every_tier_name_and_its_aliases(string text, KernelVariant expected) =>
        Assert.Equal(expected, KernelSettings.Parse(text));

    [Fact]
    public void Parse_names_the_accepted_values_when_the_text_is_unknown()
    {
        var e = Assert.Throws<ArgumentException>(() => KernelSettings.Parse("avx3"));
        Assert.Contains("vector128", e.Message);
        Assert.Contains("'avx3'", e.Message);
    }

    [Fact]
    public void Best_is_the_widest_supported_tier_and_follows_the_portable_vector_flags()
    {
        var best = KernelSettings.Best;
        Assert.True(KernelSettings.IsSupported(best));
        Assert.Equal(KernelSettings.Supported.Max(), best);
        // A tier is never offered where its vectors are not hardware-accelerated (DOTNET_EnableAVX2=0 and friends).
        Assert.Equal(Vector128.IsHardwareAccelerated, KernelSettings.Supported.Contains(KernelVariant.Vector128));
        if (!Vector256.IsHardwareAccelerated) Assert.DoesNotContain(KernelVariant.Vector256, KernelSettings.Supported);
        if (!Vector512.IsHardwareAccelerated) Assert.DoesNotContain(KernelVariant.Vector512, KernelSettings.Supported);
    }

    [Fact]
    public void Every_tier_has_a_description_naming_it()
    {
        foreach (var v in Enum.GetValues<KernelVariant>())
            Assert.StartsWith(KernelSettings.Name(v), KernelSettings.Describe(v));
    }
}
