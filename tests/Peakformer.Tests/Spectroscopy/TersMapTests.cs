using Peakformer.Engine.Randomness;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Maps;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>TERS-like maps (§2) against the hotspot formula in closed form, and the set's layout.</summary>
public class TersMapTests
{
    [Fact]
    public void A_noiseless_hotspot_follows_the_formula_and_is_clipped_to_one()
    {
        var output = new float[2 * 20 * 24];
        var spot = new Hotspot(10, 12, 2, 0.8);
        TersMapSimulator.Render([spot], [0.5, 2.0], 0.1, 0, new Rng(1), 20, 24, output);
        float At(int c, int x, int y) => output[c * 20 * 24 + x * 24 + y];
        Assert.Equal(0.5 * 0.8 + 0.1, At(0, 10, 12), 6);
        Assert.Equal(0.5 * 0.8 * Math.Exp(-0.5) + 0.1, At(0, 12, 12), 6);      // one sigma along x
        Assert.Equal(0.5 * 0.8 * Math.Exp(-1.0) + 0.1, At(0, 12, 14), 6);      // r^2 = 2 sigma^2
        Assert.Equal(1f, At(1, 10, 12));                                         // 2 * 0.8 + 0.1 clipped
        Assert.Equal(0.1, At(0, 0, 0), 3);                                       // far away: the background
    }

    [Fact]
    public void A_set_has_balanced_labels_values_in_the_unit_interval_and_class_signatures_with_largest_channel_one()
    {
        var settings = new TersMapSettings { Maps = 40, Height = 16, Width = 16, Seed = 3 };
        var set = TersMapSimulator.Run(settings, NullProgress.Instance);
        Assert.Equal(40L * 3 * 16 * 16, set.Values.Length);
        Assert.All(Enumerable.Range(0, 4), k => Assert.Equal(10, set.Labels.Count(l => l == k)));
        Assert.All(set.Values, v => Assert.InRange(v, 0f, 1f));
        Assert.All(TersMapSimulator.Signatures(settings), s => Assert.Equal(1.0, s.Max()));
    }
}
