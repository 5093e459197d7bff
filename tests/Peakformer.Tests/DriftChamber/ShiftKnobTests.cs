using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Randomness;
using Peakformer.Progress;

namespace Peakformer.Tests.DriftChamber;

/// <summary>
/// The simulator's shift knobs against closed forms: each knob changes only what it names (the same seed gives the
/// same electrons), gain scales samples exactly, drift is the configured sine or ramp, pink noise has a 1/f
/// periodogram and its rms, pulses follow the closed-form rise and fall at any sampling, cross-talk adds the
/// fraction of the neighbour's signal.
/// </summary>
public class ShiftKnobTests
{
    // No noise and a fine, wide ADC: differences between waveforms are the knob's alone, to within an lsb.
    private static readonly SimulationConfig Quiet = new() { NoiseRms = 0, AdcBits = 20, AdcMin = -8, AdcMax = 24 };
    private static double Lsb(SimulationConfig c) => (c.AdcMax - c.AdcMin) / (1 << c.AdcBits);

    private sealed class Capture : IEventSink
    {
        public List<float[]> Waveforms { get; } = [];
        public List<ElectronTruth[]> Electrons { get; } = [];
        public void Accept(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events)
        {
            int samples = waveforms.Length / events.Count;
            for (int i = 0; i < events.Count; i++)
            {
                Waveforms.Add(waveforms.Slice(i * samples, samples).ToArray());
                Electrons.Add(events[i].Electrons.ToArray());
            }
        }
    }

    private static Capture Run(SimulationConfig config, int events = 20, int chunk = 4096)
    {
        var sink = new Capture();
        Simulator.Run(new SimulationRun(config, BeamSpec.Single(Particle.Pion, 5), events, 7) { ChunkEvents = chunk }, sink, new NullProgress());
        return sink;
    }

    [Fact]
    public void Neutral_knobs_are_left_out_of_the_config_json_and_set_ones_are_kept()
    {
        string nominal = new SimulationConfig().ToJson();
        foreach (var key in SimulationConfig.ShiftKnobs) Assert.DoesNotContain($"\"{key}\"", nominal);
        var shifted = SimulationConfigLoader.Load("fcc", null, ["gain=0.8", "noise_pink_rms=0.01", "crosstalk_fraction=0.05"]);
        Assert.Equal(0.8, shifted.Gain);
        Assert.Contains("\"gain\":0.8", shifted.ToJson());
        Assert.Contains("\"noise_pink_rms\":0.01", shifted.ToJson());
        var error = Assert.Throws<InputException>(() => SimulationConfigLoader.Load("fcc", null, ["crosstalk_fraction=1.5"]));
        Assert.Contains("crosstalk_fraction", error.Message);
        Assert.Throws<InputException>(() => SimulationConfigLoader.Load("fcc", null, ["noise_pink_corner_mhz=2000"]));
    }

    [Theory]
    [InlineData("gain=1.3")]
    [InlineData("noise_pink_rms=0.02")]
    [InlineData("baseline_drift=0.05")]
    [InlineData("baseline_drift=0.05;baseline_drift_period_ns=300")]
    [InlineData("crosstalk_fraction=0.1")]
    public void A_knob_changes_the_samples_but_not_the_electrons(string sets)
    {
        var nominal = Run(new SimulationConfig());
        var shifted = Run(SimulationConfigLoader.Load("fcc", null, sets.Split(';')));
        for (int i = 0; i < nominal.Electrons.Count; i++) Assert.Equal(nominal.Electrons[i], shifted.Electrons[i]);
        Assert.NotEqual(nominal.Waveforms[0], shifted.Waveforms[0]);
    }

    [Fact]
    public void Gain_scales_every_sample()
    {
        var nominal = Run(Quiet);
        var shifted = Run(Quiet with { Gain = 1.7 });
        double lsb = Lsb(Quiet);
        for (int e = 0; e < nominal.Waveforms.Count; e++)
            for (int i = 0; i < Quiet.Samples; i++)
                Assert.True(Math.Abs(shifted.Waveforms[e][i] - 1.7 * nominal.Waveforms[e][i]) <= 2 * 1.7 * lsb, $"event {e} sample {i}");
    }

    [Fact]
    public void Linear_drift_ramps_from_minus_to_plus_the_amplitude()
    {
        var nominal = Run(Quiet, 3);
        var shifted = Run(Quiet with { BaselineDrift = 0.2 }, 3);
        int n = Quiet.Samples;
        for (int i = 0; i < n; i++)
        {
            double expected = 0.2 * (2.0 * i / (n - 1) - 1);
            Assert.True(Math.Abs(shifted.Waveforms[1][i] - nominal.Waveforms[1][i] - expected) <= 2 * Lsb(Quiet), $"sample {i}");
        }
    }

    [Fact]
    public void Sine_drift_has_the_amplitude_and_period()
    {
        var nominal = Run(Quiet, 5);
        var shifted = Run(Quiet with { BaselineDrift = 0.1, BaselineDriftPeriodNs = 200 }, 5);
        int period = (int)(200 / Quiet.SamplingNs);
        for (int e = 0; e < 5; e++)
        {
            var drift = Enumerable.Range(0, Quiet.Samples).Select(i => (double)shifted.Waveforms[e][i] - nominal.Waveforms[e][i]).ToArray();
            Assert.InRange(drift.Max(), 0.1 - 0.002, 0.1 + 2 * Lsb(Quiet));
            Assert.InRange(drift.Min(), -0.1 - 2 * Lsb(Quiet), -0.1 + 0.002);
            for (int i = 0; i + period < drift.Length; i++) Assert.True(Math.Abs(drift[i + period] - drift[i]) <= 4 * Lsb(Quiet));
        }
    }

    [Fact]
    public void Crosstalk_adds_the_fraction_of_the_next_event_s_signal()
    {
        // Chunks of 8: the neighbour of the last event of a chunk is the chunk's first.
        var nominal = Run(Quiet, 12, chunk: 8);
        var shifted = Run(Quiet with { CrosstalkFraction = 0.15 }, 12, chunk: 8);
        int[] neighbour = [1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 8];
        for (int e = 0; e < 12; e++)
            for (int i = 0; i < Quiet.Samples; i++)
            {
                double expected = nominal.Waveforms[e][i] + 0.15 * nominal.Waveforms[neighbour[e]][i];
                Assert.True(Math.Abs(shifted.Waveforms[e][i] - expected) <= 3 * Lsb(Quiet), $"event {e} sample {i}");
            }
    }

    [Theory]
    [InlineData(1.0, 2.0, 12.0)]
    [InlineData(0.25, 0.5, 4.0)]
    public void Pulses_follow_the_closed_form_rise_and_fall_at_the_configured_sampling(double samplingNs, double rise, double fall)
    {
        var config = Quiet with { SamplingNs = samplingNs, Samples = (int)(600 / samplingNs), PulseRiseNs = rise, PulseFallNs = fall };
        var run = Run(config, 10);
        // Closed form: i(t) = exp(-t/fall) - exp(-t/rise) peaks at t* = ln(fall/rise) rise fall / (fall - rise).
        double peak = Math.Log(fall / rise) * rise * fall / (fall - rise);
        double norm = Math.Exp(-peak / fall) - Math.Exp(-peak / rise);
        double Pulse(double t) => t <= 0 ? 0 : (Math.Exp(-t / fall) - Math.Exp(-t / rise)) / norm;
        for (int e = 0; e < 10; e++)
        {
            double error = 0, energy = 0;
            for (int k = 0; k < config.Samples; k++)
            {
                double expected = run.Electrons[e].Sum(x => config.SingleElectronAmplitude * x.Charge * Pulse(k * samplingNs - x.TimeNs));
                error += Math.Pow(run.Waveforms[e][k] - expected, 2);
                energy += expected * expected;
            }
            // The template places arrivals on a 1/16-sample grid: a small relative error, far below a wrong rise or fall.
            Assert.True(Math.Sqrt(error / energy) < 0.03, $"event {e}: relative error {Math.Sqrt(error / energy):F4}");
            // Truth peak samples follow the sampling (the generator finds t* numerically: a rounding may flip by one).
            int exact = run.Electrons[e].Count(x => x.PeakSample == Math.Min(config.Samples - 1, (int)Math.Round((x.TimeNs + peak) / samplingNs)));
            Assert.True(exact >= 0.98 * run.Electrons[e].Length, $"event {e}: {exact} of {run.Electrons[e].Length} peak samples at round((t + t*) / dt)");
        }
    }

    [Fact]
    public void Pink_noise_has_a_one_over_f_periodogram_and_its_rms()
    {
        const double rms = 0.03, cornerMhz = 1, samplingNs = 0.5;
        const int n = 4096, records = 150;
        var pink = new PinkNoise(rms, cornerMhz, samplingNs);
        var x = new float[n];
        var scratch = new float[n];
        // Periodogram at log-spaced frequencies well inside the 1/f range (above the corner, below the top octave).
        var frequencies = Enumerable.Range(0, 12).Select(k => 8.0 * Math.Pow(2, k * 0.4)).ToArray(); // 8 .. ~168 MHz
        var power = new double[frequencies.Length];
        double variance = 0;
        for (int r = 0; r < records; r++)
        {
            Array.Clear(x);
            pink.Add(x, new Rng((ulong)(100 + r)), scratch);
            variance += x.Average(v => (double)v * v) / records;
            for (int f = 0; f < frequencies.Length; f++)
            {
                double w = 2 * Math.PI * frequencies[f] * 1e-3 * samplingNs, re = 0, im = 0;
                for (int i = 0; i < n; i++)
                {
                    double hann = 0.5 - 0.5 * Math.Cos(2 * Math.PI * i / (n - 1));
                    re += hann * x[i] * Math.Cos(w * i);
                    im += hann * x[i] * Math.Sin(w * i);
                }
                power[f] += (re * re + im * im) / records;
            }
        }
        // Least-squares slope of log power against log frequency: -1 for 1/f.
        var lx = frequencies.Select(f => Math.Log(f)).ToArray();
        var ly = power.Select(p => Math.Log(p)).ToArray();
        double mx = lx.Average(), my = ly.Average();
        double slope = lx.Zip(ly).Sum(p => (p.First - mx) * (p.Second - my)) / lx.Sum(v => (v - mx) * (v - mx));
        Assert.InRange(slope, -1.1, -0.9);
        // Stationary start: the ensemble variance is rms^2 (the sample variance of a long-memory record scatters a few %).
        Assert.InRange(Math.Sqrt(variance) / rms, 0.93, 1.07);
    }
}
