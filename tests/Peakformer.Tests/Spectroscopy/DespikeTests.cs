using Peakformer.Engine.Randomness;
using Peakformer.Spectroscopy.Preprocessing;
using Peakformer.Spectroscopy.Simulation;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>Whitaker-Hayes cosmic-ray removal on a noisy spectrum with bands and injected spikes.</summary>
public class DespikeTests
{
    private static double[] Spectrum()
    {
        var rng = new Rng(7);
        var y = new double[600];
        for (int k = 0; k < y.Length; k++)
            y[k] = 0.2 + 40 * LineProfiles.Gaussian(k - 200, 14) + 25 * LineProfiles.Gaussian(k - 420, 9) + 0.01 * rng.NextNormal();
        return y;
    }

    private static double[] Despike(double[] y)
    {
        var output = new double[y.Length];
        new DespikeStep(6, 3).Apply(y, y, output);
        return output;
    }

    [Fact]
    public void A_spectrum_without_spikes_comes_out_unchanged_bands_and_all()
    {
        var y = Spectrum();
        Assert.Equal(y, Despike(y));
    }

    [Theory]
    [InlineData(100, 1)]
    [InlineData(205, 1)]   // on the flank of a band
    [InlineData(330, 2)]   // two pixels wide
    public void An_injected_spike_is_removed_and_every_other_point_is_left_exactly(int at, int width)
    {
        var clean = Spectrum();
        var y = (double[])clean.Clone();
        for (int k = at; k < at + width; k++) y[k] += 3;
        var output = Despike(y);
        for (int k = 0; k < y.Length; k++)
        {
            if (k >= at && k < at + width)
                Assert.True(Math.Abs(output[k] - clean[k]) < 0.05, $"point {k}: {output[k]} against {clean[k]} before the spike");
            else
                Assert.Equal(y[k], output[k]);
        }
    }
}
