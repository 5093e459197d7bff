using Peakformer.Progress;
using Peakformer.Spectroscopy.Simulation;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Spectroscopy.Tensors;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Spectroscopy.Tensors;

/// <summary>
/// The tensor task's data against §3's intensity |e_s^T R e_i|^2: the mode's height in every channel follows the
/// stored lab-frame tensor, the 11 configurations fix it up to sign, sets are reproducible, and the file says what it is.
/// </summary>
public class TensorSetTests
{
    /// <summary>No jitter, baseline, noise or spike, not normalised: each channel is the bands alone.</summary>
    private static readonly RamanSimulationSettings Clean = new()
    {
        Spectra = 6, ShiftJitter = 0, WidthJitter = 0, IntensityJitter = 0, Baseline = 0, Noise = 0, PeakCounts = 0, SpikeProbability = 0, Normalise = false,
    };

    private static TensorSet Simulate(RamanSimulationSettings raman) =>
        TensorSetSimulator.Run(new TensorSetSettings { Raman = raman }, BandLibrary.Generate(raman), NullProgress.Instance);

    /// <summary>e_s^T T e_i for a row-major tensor.</summary>
    private static double Amplitude(ReadOnlySpan<float> t, double[] incident, double[] scattered)
    {
        double sum = 0;
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++) sum += scattered[r] * t[r * 3 + c] * incident[c];
        return sum;
    }

    [Fact]
    public void The_modes_height_in_each_channel_is_a_constant_times_the_squared_amplitude_of_the_stored_tensor()
    {
        var set = Simulate(Clean);
        int at = Array.FindIndex(set.Wavenumbers, w => w >= set.ModeShift);
        if (set.ModeShift - set.Wavenumbers[at - 1] < set.Wavenumbers[at] - set.ModeShift) at--;
        double? k = null;
        for (int i = 0; i < set.Count; i++)
            for (int c = 0; c < set.Channels; c++)
            {
                var (_, incident, scattered) = TensorPolarisations.All[c];
                double a2 = Math.Pow(Amplitude(set.Tensor(i), incident, scattered), 2);
                double height = set.Example(i)[c * set.Length + at];
                k ??= height / a2;
                // The other bands' tails and float32 storage: a part in 1e-4 of the largest possible height, k ||T||_F^2.
                double norm2 = 0;
                foreach (float v in set.Tensor(i)) norm2 += v * v;
                Assert.True(Math.Abs(height - k.Value * a2) < 1e-4 * k.Value * norm2, $"example {i} channel {set.ChannelNames[c]}: height {height}, expected {k * a2}");
            }
        // The stored targets are rotations of one symmetric tensor: symmetric, with one Frobenius norm.
        for (int i = 0; i < set.Count; i++)
        {
            var t = set.Tensor(i);
            Assert.Equal(t[1], t[3], 5);
            Assert.Equal(t[2], t[6], 5);
            Assert.Equal(t[5], t[7], 5);
        }
    }

    [Fact]
    public void The_eleven_configurations_recover_a_tensor_up_to_its_sign()
    {
        var rng = new Peakformer.Engine.Randomness.Rng(21);
        for (int n = 0; n < 20; n++)
        {
            var r = RamanTensors.Symmetric(rng).Select(v => (float)v).ToArray();
            var q = TensorPolarisations.All.Select(p => Math.Pow(Amplitude(r, p.Incident, p.Scattered), 2)).ToArray();
            // |R_xx|, |R_yy|, |R_zz|, |R_xy|, |R_xz|, |R_yz| from the first six; each link's (R_a + R_b)^2 / 2 gives R_a R_b.
            var m = q.Take(6).Select(Math.Sqrt).ToArray();
            double Product(int link, int a, int b) => q[link] - (m[a] * m[a] + m[b] * m[b]) / 2;
            double xy = m[3];
            double xx = Math.Sign(Product(6, 0, 3)) * m[0];
            double xz = Math.Sign(Product(7, 3, 4)) * m[4];
            double yz = Math.Sign(Product(8, 3, 5)) * m[5];
            double yy = Math.Sign(Product(9, 1, 5)) * Math.Sign(yz) * m[1];
            double zz = Math.Sign(Product(10, 2, 4)) * Math.Sign(xz) * m[2];
            double[] recovered = [xx, xy, xz, xy, yy, yz, xz, yz, zz];
            double sign = Math.Sign(r[1]);
            for (int k = 0; k < 9; k++) Assert.Equal(r[k], sign * recovered[k], 4);
        }
    }

    [Fact]
    public void A_set_is_the_same_for_the_same_seed_and_its_examples_do_not_depend_on_the_set_size()
    {
        var raman = new RamanSimulationSettings { Spectra = 5, Points = 300 };
        var a = Simulate(raman);
        var b = Simulate(raman);
        var prefix = Simulate(raman with { Spectra = 3 });
        Assert.Equal(a.Values, b.Values);
        Assert.Equal(a.Tensors, b.Tensors);
        Assert.Equal(a.Values.AsSpan(0, 3 * a.InputSize).ToArray(), prefix.Values);
        Assert.Equal(a.Tensors.AsSpan(0, 27).ToArray(), prefix.Tensors);
        // Channels share the molecule but not the noise: two channels' noise differs.
        var other = Simulate(raman with { Seed = 2 });
        Assert.NotEqual(a.Tensors, other.Tensors);
        // Min-max over the whole example: 0 and 1 are reached once each, not per channel.
        var first = a.Example(0).ToArray();
        Assert.Equal(0f, first.Min());
        Assert.Equal(1f, first.Max());
        Assert.Contains(Enumerable.Range(0, a.Channels), c => first.AsSpan(c * a.Length, a.Length).ToArray().Max() < 0.999f);
    }

    [Fact]
    public void The_file_round_trips_and_a_classification_set_is_refused_in_one_line()
    {
        using var folder = new TempFolder();
        var set = Simulate(new RamanSimulationSettings { Spectra = 4, Points = 200 });
        set.Write(folder.File("t.npz"));
        var read = TensorSet.Read(folder.File("t.npz"));
        Assert.Equal(set.Values, read.Values);
        Assert.Equal(set.Tensors, read.Tensors);
        Assert.Equal(set.ChannelNames, read.ChannelNames);
        Assert.Equal(set.Polarisations, read.Polarisations);
        Assert.Equal((set.ClassName, set.ModeShift, set.GeneratorJson), (read.ClassName, read.ModeShift, read.GeneratorJson));

        var spectra = RamanSimulator.Run(new RamanSimulationSettings { Spectra = 10, Points = 200 }, BandLibrary.Generate(new RamanSimulationSettings()), NullProgress.Instance);
        SpectrumSetFile.Write(spectra, folder.File("s.npz"));
        var e = Assert.Throws<InputException>(() => TensorSet.Read(folder.File("s.npz")));
        Assert.Contains("tensors", e.Message);
        Assert.Contains("classification set", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
