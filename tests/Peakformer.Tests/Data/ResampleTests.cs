using Peakformer.Data.Npy;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Inputs;
using Peakformer.Evaluation;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Data;

/// <summary>
/// --resample: linear interpolation onto the model's grid against NumPy's np.interp
/// (tools/golden/make_resample_golden.py) and closed form, and the peak-finding path on data simulated at 0.25 ns.
/// </summary>
public class ResampleTests
{
    [Theory]
    [InlineData(0.5, "y_0_5")]
    [InlineData(0.4, "y_0_4")]
    [InlineData(0.2, "y_0_2")]
    public void Resampling_matches_numpy_interp(double to, string key)
    {
        using var npz = new NpzReader(GoldenFiles.Path("resample.npz"));
        var x = npz.Read("x").As<float>("x");
        var expected = npz.Read(key).As<float>(key);
        Assert.Equal(expected.Length, ResampledSource.Length(x.Length, 0.25, to));
        var found = new float[expected.Length];
        ResampledSource.Resample(x, 0.25, to, found);
        for (int j = 0; j < found.Length; j++) Assert.True(Math.Abs(found[j] - expected[j]) <= 1e-6, $"sample {j}: {found[j]} vs np.interp {expected[j]}");
    }

    [Fact]
    public void A_line_resamples_to_the_same_line()
    {
        // v(t) = 2 - 0.75 t on a 0.3 ns grid, read at 0.7 ns: the samples of the same line, closed form.
        var x = Enumerable.Range(0, 101).Select(i => (float)(2 - 0.75 * (i * 0.3))).ToArray();
        int m = (int)ResampledSource.Length(101, 0.3, 0.7);
        Assert.Equal(43, m); // floor(100 x 0.3 / 0.7) + 1 = floor(42.86) + 1
        var y = new float[m];
        ResampledSource.Resample(x, 0.3, 0.7, y);
        for (int j = 0; j < m; j++) Assert.Equal(2 - 0.75 * (j * 0.7), y[j], 5);
    }

    [Fact]
    public void Without_resample_a_sampling_mismatch_names_the_option()
    {
        var trained = InputConventions.SimulatorDefaults(0.5);
        var e = Assert.Throws<InputException>(() => InputCheck.Compare(trained, trained with { SamplingNs = 0.25 }, "data.npz", "m.safetensors"));
        Assert.Contains("data.npz: sampled every 0.25 ns, the model m.safetensors was trained on 0.5 ns: give --resample", e.Message);
    }

    [Fact]
    public void A_resampled_record_longer_than_any_model_is_a_one_line_error_before_reading()
    {
        // 100 ns to 0.5 ns makes every sample 200: far past the simulator's longest record.
        var read = new WaveformReadOptions { Resample = true, SamplingNs = 100 }.ForModel(0.5);
        var e = Assert.Throws<InputException>(() => WaveformDataset.Open(GoldenFiles.Path("wf_f32.npz"), read));
        Assert.Contains("--resample", e.Message);
        Assert.Contains($"at most {ResampledSource.MaxSamples:N0} samples per resampled waveform", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Peaks_found_on_data_simulated_at_a_quarter_ns_and_resampled_score_as_on_data_simulated_at_half_ns()
    {
        using var folder = new TempFolder();
        string fine = folder.File("fine.npz"), coarse = folder.File("coarse.npz");
        Assert.Equal(0, Cli.CliHarness.Run("simulate", "--events", "60", "--seed", "9", "--set", "sampling_ns=0.25", "--set", "samples=2400", "--out", fine).Exit);
        Assert.Equal(0, Cli.CliHarness.Run("simulate", "--events", "60", "--seed", "9", "--out", coarse).Exit);
        var read = new WaveformReadOptions { Resample = true }.ForModel(0.5);
        using var resampled = WaveformDataset.Open(fine, read);
        Assert.Equal((1200, 0.5), (resampled.Samples, resampled.SamplingNs));
        Assert.Contains(resampled.Notes, n => n.Contains("--resample: every waveform resampled by linear interpolation from 0.25 ns (2400 samples) to the model's 0.5 ns (1200 samples)"));
        using (var original = WaveformDataset.Open(fine))
        {
            // Truth peak samples move to the nearest sample of the new grid; times in ns stay.
            Assert.Equal(original.ElectronPeakSample.Select(p => (long)Math.Round(p / 2.0, MidpointRounding.AwayFromZero)), resampled.ElectronPeakSample);
            Assert.Equal(original.ElectronTimeNs, resampled.ElectronTimeNs);
            // Every second sample of the fine record is a sample of the new one (0.25 -> 0.5 is an exact factor 2).
            var a = original.ReadWaveforms(0, 2);
            var b = resampled.ReadWaveforms(0, 2);
            for (int j = 0; j < 1200; j++) Assert.Equal(a[2 * j], b[j]);
        }
        // Without --resample the file is read on its own grid.
        using (var unresampled = WaveformDataset.Open(fine, read with { Resample = false })) Assert.Equal(2400, unresampled.Samples);
        using var native = WaveformDataset.Open(coarse);
        double f1Resampled = F1(resampled), f1Native = F1(native);
        Assert.True(f1Native > 0.3, $"F1 at 0.5 ns {f1Native}");
        Assert.True(Math.Abs(f1Resampled - f1Native) < 0.03, $"F1 resampled {f1Resampled} vs simulated at 0.5 ns {f1Native}");
    }

    /// <summary>The DERIV finder's F1 against truth (published thresholds at 0.5 ns).</summary>
    private static double F1(WaveformDataset data)
    {
        var (finder, _) = ClassicalTuning.ForSpec("deriv", "--classical", null, 0, Peakformer.DriftChamber.Physics.DriftChamberConstants.ToleranceSamples, data.SamplingNs);
        var found = finder.Find(data.ReadWaveforms(0, data.Count), data.Count, data.Samples);
        var score = new PeakScore();
        for (int w = 0; w < data.Count; w++) score.Add(data.TruthPeaks(w), found[w], Peakformer.DriftChamber.Physics.DriftChamberConstants.ToleranceSamples, data.SamplingNs);
        return score.F1;
    }
}
