using Peakformer.DriftChamber.Inputs;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.DriftChamber.Training;
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
        Assert.Throws<InputException>(() => NoiseAugmentation.Parse("fraction=2", 1));
        Assert.Throws<InputException>(() => NoiseAugmentation.Parse("colour=1", 1));
    }

    [Fact]
    public void Shift_command_writes_the_table_against_the_nominal_set()
    {
        using var folder = new TempFolder();
        string out_ = folder.File("shift");
        var (exit, output, error) = CliHarness.Run("shift", "--model", "deriv,d2", "--set-list", "gain=0.7;noise_pink_rms=0.03", "--events", "40",
            "--tune-events", "30", "--normalise", "--out", out_);
        Assert.True(exit == 0, error + output);
        var lines = File.ReadAllLines(Path.Combine(out_, "shift.csv"));
        Assert.Equal("set,overrides,mitigation,method,metric,value,error,change_from_nominal", lines[0]);
        // 3 sets x 2 mitigations x (2 F1 rows + 3 count rows: constant mean, DERIV and D2 clusterised).
        Assert.Equal(1 + 3 * 2 * 5, lines.Length);
        Assert.All(lines.Skip(1).Where(l => l.StartsWith("nominal,")), l => Assert.EndsWith(",0", l));
        Assert.True(File.Exists(Path.Combine(out_, "f1_shift.svg")) && File.Exists(Path.Combine(out_, "metrics.json")));
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
}
