using Peakformer.Engine.Randomness;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Maps;
using Peakformer.Spectroscopy.Simulation;

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

/// <summary>The hyperspectral variant: channel shares are band intensities of a Raman class spectrum per map.</summary>
public class HyperspectralMapTests
{
    [Fact]
    public void Channel_shares_are_the_window_means_of_the_maps_class_spectrum_largest_one()
    {
        var settings = new TersMapSettings { Hyperspectral = true, Channels = 4, Classes = 3, Seed = 5 };
        var raman = TersMapSimulator.RamanFor(settings);
        var bands = BandLibrary.Generate(raman);
        var shares = TersMapSimulator.HyperspectralShares(settings, raman, bands[1], 7);
        // The same spectrum drawn here, its four window means (250 points each of 1000) by hand.
        var grid = raman.Grid.Values();
        var spectrum = new double[grid.Length];
        RamanSimulator.Spectrum(raman, bands[1], grid, 7, spectrum);
        var means = Enumerable.Range(0, 4).Select(c => Math.Max(0, spectrum.Skip(250 * c).Take(250).Average())).ToArray();
        for (int c = 0; c < 4; c++) Assert.Equal(means[c] / means.Max(), shares[c], 12);
        Assert.Equal(1.0, shares.Max());
    }

    [Fact]
    public void A_hyperspectral_set_renders_each_map_with_its_shares_and_records_its_raman_classes()
    {
        var settings = new TersMapSettings { Hyperspectral = true, Maps = 12, Height = 8, Width = 8, Noise = 0, Background = 0, Seed = 2 };
        var set = TersMapSimulator.Run(settings, NullProgress.Instance);
        Assert.Contains("\"hyperspectral\":true", set.GeneratorJson);
        Assert.Contains("\"bands\":", set.GeneratorJson);
        var raman = TersMapSimulator.RamanFor(settings);
        var bands = BandLibrary.Generate(raman);
        // Without noise or background, channel c / channel of share 1 is the share at every lit pixel.
        int plane = 64;
        for (int i = 0; i < set.Count; i++)
        {
            var shares = TersMapSimulator.HyperspectralShares(settings, raman, bands[set.Labels[i]], i);
            int top = Array.IndexOf(shares, 1.0);
            int pixel = Enumerable.Range(0, plane).MaxBy(p => set.Values[i * 3 * plane + top * plane + p]);
            float lit = set.Values[i * 3 * plane + top * plane + pixel];
            if (lit >= 1f) continue; // clipped
            for (int c = 0; c < 3; c++) Assert.Equal(shares[c] * lit, set.Values[i * 3 * plane + c * plane + pixel], 4);
        }
    }
}
