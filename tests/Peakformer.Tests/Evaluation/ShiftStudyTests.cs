using Peakformer.DriftChamber.Inputs;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.DriftChamber.Training;
using Peakformer.Engine.Randomness;
using Peakformer.Evaluation;
using Peakformer.Progress;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Evaluation;

/// <summary>The domain-shift tooling: set parsing, the normalisation and augmentation mitigations, and the shift command end to end.</summary>
public class ShiftStudyTests
{
    private static float[] Simulate(SimulationConfig config, int events)
    {
        var waveforms = new List<float>();
        var sink = new Sink(waveforms);
        Simulator.Run(new SimulationRun(config, BeamSpec.Single(Particle.Pion, 5), events, 3), sink, new NullProgress());
        return waveforms.ToArray();
    }

    private sealed class Sink(List<float> into) : IEventSink
    {
        public void Accept(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events) => into.AddRange(waveforms.ToArray());
    }

    [Fact]
    public void Set_lists_split_on_semicolons_and_commas()
    {
        var sets = ShiftSet.ParseList("gain=0.8; noise_pink_rms=0.01,noise_pink_corner_mhz=2");
        Assert.Equal(2, sets.Count);
        Assert.Equal(["noise_pink_rms=0.01", "noise_pink_corner_mhz=2"], sets[1].Overrides);
        Assert.Throws<InputException>(() => ShiftSet.ParseList("gain"));
    }

    [Fact]
    public void Normalisation_undoes_a_front_end_gain()
    {
        // Gain scales signal and noise together, so after scaling each waveform's robust noise to one value the
        // shifted and nominal waveforms agree but for the ADC's rounding (and the noise estimate's own rounding).
        var config = new SimulationConfig { AdcBits = 16, AdcMin = -8, AdcMax = 24 }; // no saturation at either gain
        var nominal = Simulate(config, 20);
        var shifted = Simulate(config with { Gain = 1.6 }, 20);
        AmplitudeNormalisation.Apply(nominal, config.Samples, config.SamplingNs, 0.025);
        AmplitudeNormalisation.Apply(shifted, config.Samples, config.SamplingNs, 0.025);
        double worst = nominal.Zip(shifted, (a, b) => Math.Abs(a - b)).Max();
        double peak = nominal.Max();
        Assert.True(worst < 0.03 * peak, $"largest difference {worst:G3} against a peak of {peak:G3}");
        // Without normalisation the difference is the gain's 60%.
        Assert.True(Simulate(config with { Gain = 1.6 }, 20).Max() > 1.5 * Simulate(config, 20).Max());
    }

    [Fact]
    public void Augmentation_draws_per_event_and_scales_exactly()
    {
        var w = Enumerable.Range(0, 300).Select(i => (float)Math.Sin(i % 100 * 0.1)).ToArray(); // three equal rows
        var doubled = w.ToArray();
        NoiseAugmentation.Parse("fraction=1,gain=2", 5).Apply(doubled, 100, 0.5, [0, 1, 2]);
        Assert.Equal(w.Select(x => 2 * x), doubled);
        var untouched = w.ToArray();
        NoiseAugmentation.Parse("fraction=0,white=0.1,pink=0.1,drift=0.1", 5).Apply(untouched, 100, 0.5, [0, 1, 2]);
        Assert.Equal(w, untouched);
        // Event 7's draws do not depend on where it sits in the batch.
        var a = w.ToArray();
        var b = w.ToArray();
        var augment = NoiseAugmentation.Parse("fraction=1,white=0.05,pink=0.05,gain=0.8:1.2,drift=0.1", 9);
        augment.Apply(a, 100, 0.5, [7, 8, 9]);
        augment.Apply(b, 100, 0.5, [9, 8, 7]);
        Assert.Equal(a.AsSpan(0, 100).ToArray(), b.AsSpan(200, 100).ToArray());
        Assert.NotEqual(w.AsSpan(0, 100).ToArray(), a.AsSpan(0, 100).ToArray());
        Assert.Contains("--augment-noise: fraction: expected in [0, 1], found 2", Assert.Throws<InputException>(() => NoiseAugmentation.Parse("fraction=2", 1)).Message);
        Assert.Contains("expected fraction, white, pink, gain or drift (KEY=VALUE, gain=MIN:MAX), found 'colour=1'", Assert.Throws<InputException>(() => NoiseAugmentation.Parse("colour=1", 1)).Message);
        Assert.Contains("--augment-noise: white: expected a number, found 'x'", Assert.Throws<InputException>(() => NoiseAugmentation.Parse("white=x", 1)).Message);
    }

    [Fact]
    public void Augmentation_draws_from_its_own_stream_not_the_window_balancing_one()
    {
        // White noise only, on a zero waveform: the waveform is exactly the normals of event 3's stream after the
        // five uniform draws (fraction, gain, white, pink, drift).
        const ulong seed = 11;
        var w = new float[64];
        NoiseAugmentation.Parse("fraction=1,white=0.1", seed).Apply(w, 64, 0.5, [3]);
        Assert.Equal(Replica(Rng.ForStream(Rng.Mix(seed, NoiseAugmentation.Stream), 3)), w);
        // Rng.ForStream(seed, event) is WindowExtractor's balancing stream (and, for small events, the trainer's epoch shuffle).
        Assert.NotEqual(Replica(Rng.ForStream(seed, 3)), w);
    }

    private static float[] Replica(Rng rng)
    {
        rng.NextDouble();
        rng.NextDouble();
        double white = 0.1 * rng.NextDouble();
        rng.NextDouble();
        rng.NextDouble();
        var extra = new float[64];
        rng.FillNormal(extra, (float)white);
        return extra.Select(x => (float)(1.0 * 0f + x)).ToArray();
    }

    [Fact]
    public void Shift_command_writes_the_table_against_the_nominal_set()
    {
        using var folder = new TempFolder();
        string out_ = folder.File("shift");
        var (exit, output, error) = CliHarness.Run("shift", "--model", "deriv,d2", "--set-list", "gain=0.7;noise_pink_rms=0.03", "--events", "40",
            "--tune-events", "30", "--out", out_);
        Assert.True(exit == 0, error + output);
        var lines = File.ReadAllLines(Path.Combine(out_, "shift.csv"));
        Assert.Equal("set,overrides,mitigation,method,metric,value,error,change_from_nominal", lines[0]);
        // 3 sets x (2 F1 rows + 3 count rows: constant mean, DERIV and D2 clusterised).
        Assert.Equal(1 + 3 * 5, lines.Length);
        Assert.All(lines.Skip(1).Where(l => l.StartsWith("nominal,")), l => Assert.EndsWith(",0", l));
        // The pink-noise set is not the nominal set: its figures move.
        Assert.Contains(lines.Skip(1).Where(l => l.StartsWith("set2,") || l.Contains("noise_pink_rms")), l => !l.EndsWith(",0"));
        // Normalisation is a peak-model mitigation (as predict --normalise): without one it is refused.
        var (none, _, needsModel) = CliHarness.Run("shift", "--model", "deriv", "--set-list", "gain=0.7", "--events", "10", "--normalise", "--out", folder.File("n"));
        Assert.Equal(1, none);
        Assert.Contains("--normalise: expected a peak- or count-model checkpoint", needsModel);
        Assert.True(File.Exists(Path.Combine(out_, "f1_shift.svg")) && File.Exists(Path.Combine(out_, "metrics.json")));
        // The figure names its sets under the x axis, turned, and is valid XML.
        var figure = System.Xml.Linq.XDocument.Load(Path.Combine(out_, "f1_shift.svg"));
        var ticks = figure.Descendants().Where(e => e.Name.LocalName == "text" && e.Attribute("class")?.Value == "x-tick").ToList();
        var sets = lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().ToList();
        Assert.Equal(3, sets.Count);
        Assert.Equal(sets, ticks.Select(t => t.Value));
        Assert.All(ticks, t => Assert.StartsWith("rotate(-35 ", t.Attribute("transform")!.Value));
        // A bad knob names its set; nothing is written.
        var (bad, _, message) = CliHarness.Run("shift", "--model", "deriv", "--set-list", "gain=-1", "--events", "10", "--out", folder.File("bad"));
        Assert.Equal(1, bad);
        Assert.Contains("gain=-1", message);
        Assert.False(Directory.Exists(folder.File("bad")));
        // predict --normalise belongs to peak models on waveforms.
        var (refused, _, why) = CliHarness.Run("predict", "--model", "deriv", "--in", Path.Combine(out_, "data", "set0.npz"), "--normalise", "--out", folder.File("c.csv"));
        Assert.Equal(1, refused);
        Assert.Contains("--normalise", why);
    }

    [Fact]
    public void Classical_specs_with_thresholds_keep_their_numbers_and_set_labels_are_checked()
    {
        using var folder = new TempFolder();
        var (exit, output, error) = CliHarness.Run("shift", "--model", "deriv:2,2,1,1,d2:1,0.5", "--set-list", "gain=0.7", "--events", "10",
            "--tune-events", "10", "--out", folder.File("s"));
        Assert.True(exit == 0, error + output);
        var lines = File.ReadAllLines(Path.Combine(folder.File("s"), "shift.csv"));
        Assert.Contains(lines, l => l.Contains(",DERIV,f1,", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(lines, l => l.Contains(",D2,f1,", StringComparison.OrdinalIgnoreCase));
        ShiftSettings With(params ShiftSet[] sets) => new() { Methods = ["deriv"], Shifts = sets };
        Assert.Contains("found a shifted set labelled 'nominal'", Assert.Throws<InputException>(() => With(new ShiftSet("nominal", ["gain=0.8"])).Validate()).Message);
        Assert.Contains("found 'g' twice", Assert.Throws<InputException>(() => With(new ShiftSet("g", ["gain=0.8"]), new ShiftSet("g", ["gain=0.9"])).Validate()).Message);
    }

    [Fact]
    public void Each_model_is_normalised_to_its_own_training_noise_peak_models_for_F1_count_models_for_MAE()
    {
        using var folder = new TempFolder();
        string quiet = folder.File("quiet.safetensors"), noisy = folder.File("noisy.safetensors");
        Ok(CliHarness.Run("simulate", "--events", "40", "--seed", "1", "--out", folder.File("quiet.npz")));
        Ok(CliHarness.Run("simulate", "--events", "40", "--seed", "1", "--set", "noise_rms=0.075", "--out", folder.File("noisy.npz")));
        foreach (var (data, model) in new[] { ("quiet.npz", quiet), ("noisy.npz", noisy) })
            Ok(CliHarness.Run("train", "--task", "perbin", "--data", folder.File(data), "--out", model, "--epochs", "1", "--max-waveforms", "40", "--min-auc", "0",
                "--model-config", "{\"model\": 8, \"heads\": 2, \"layers\": 1, \"feed_forward\": 8, \"embedding_kernel\": 5}"));
        string count = folder.File("count.safetensors");
        Ok(CliHarness.Run("train", "--task", "count", "--data", folder.File("noisy.npz"), "--out", count, "--peaks-from", "deriv", "--epochs", "1",
            "--model-config", "{\"model\": 8, \"feed_forward\": 8, \"dense\": 8}"));
        double countNoise = Peakformer.DriftChamber.Models.CountCheckpoint.Load(count).Info.Input!.NoiseRms;
        double quietNoise = Peakformer.DriftChamber.Models.PeakCheckpoint.Load(quiet).Info.Input!.NoiseRms, noisyNoise = Peakformer.DriftChamber.Models.PeakCheckpoint.Load(noisy).Info.Input!.NoiseRms;
        Assert.True(noisyNoise > 2 * quietNoise, $"{noisyNoise} against {quietNoise}");

        string dataFolder = folder.File("sets");
        var result = ShiftStudy.Run(new ShiftSettings
        {
            Methods = [quiet, noisy, count, "deriv"], Shifts = ShiftSet.ParseList("gain=1.5"), Events = 20, TuneEvents = 10, Normalise = true,
        }, dataFolder, new NullProgress());

        Assert.Equal(new Dictionary<string, double> { [quiet] = quietNoise, [noisy] = noisyNoise, [count] = countNoise }, result.NormalisedNoiseRms);
        var normalised = result.Rows.Where(r => r.Mitigation == ShiftResult.Normalised).ToList();
        // 2 sets x (2 peak models' F1 + the count model's MAE): no DERIV, no baselines.
        Assert.Equal(6, normalised.Count);
        Assert.Equal(4, normalised.Count(r => r.Metric == ShiftResult.F1));
        Assert.All(normalised.Where(r => r.Metric == ShiftResult.CountMae), r => Assert.StartsWith("count transformer", r.Method));
        Assert.DoesNotContain(normalised, r => r.Method.Contains("deriv", StringComparison.OrdinalIgnoreCase) && !r.Method.StartsWith("count transformer"));
        // The count model's normalised set is scaled to its own training noise: the noisy data's, like the noisy peak model's.
        Assert.InRange(countNoise / noisyNoise, 0.8, 1.25);
        // Each model's normalised set is scaled to its own noise: the two differ from each other and from the plain set.
        float[] plain = Waveforms(Path.Combine(dataFolder, "set0.npz"));
        float[] forQuiet = Waveforms(Path.Combine(dataFolder, "set0_normalised0.npz")), forNoisy = Waveforms(Path.Combine(dataFolder, "set0_normalised1.npz"));
        Assert.NotEqual(plain, forQuiet);
        double ratio = Rms(forNoisy) / Rms(forQuiet);
        Assert.InRange(ratio, 0.9 * noisyNoise / quietNoise, 1.1 * noisyNoise / quietNoise);
    }

    private static void Ok((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

    private static float[] Waveforms(string npz)
    {
        using var data = Peakformer.Data.Waveforms.WaveformDataset.Open(npz);
        return data.ReadWaveforms(0, data.Count);
    }

    private static double Rms(float[] x) => Math.Sqrt(x.Average(v => (double)v * v));
}
