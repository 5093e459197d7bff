using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;

namespace Peakformer.Tests.DriftChamber;

public class SignalTests
{
    // The documented single-electron signal (docs/SIMULATION.md, IDEA DCHdigi): current exp(-t/7) - exp(-t/1),
    // front end (1 - exp(-t/3)) (0.5 exp(-t/9) + 0.5 exp(-t/25)), convolved here by brute-force numerical integration.
    private static double Convolved(double t)
    {
        const double dt = 0.002;
        double sum = 0;
        for (double s = 0.5 * dt; s < t; s += dt)
        {
            double current = Math.Exp(-s / 7) - Math.Exp(-s / 1);
            double u = t - s;
            double frontEnd = (1 - Math.Exp(-u / 3)) * (0.5 * Math.Exp(-u / 9) + 0.5 * Math.Exp(-u / 25));
            sum += current * frontEnd * dt;
        }
        return sum;
    }

    [Fact]
    public void Without_the_front_end_a_single_electron_is_the_current_pulse()
    {
        var shape = new PulseShape(frontEnd: false);
        // exp(-t/7) - exp(-t/1) peaks at t = (7 * 1 / (7 - 1)) ln 7.
        Assert.Equal(7.0 / 6 * Math.Log(7), shape.PeakTimeNs, 1);
        double norm = Math.Exp(-shape.PeakTimeNs / 7) - Math.Exp(-shape.PeakTimeNs);
        foreach (double t in new[] { 0.5, 2.0, 5.0, 15.0 })
            Assert.Equal((Math.Exp(-t / 7) - Math.Exp(-t)) / norm, shape.Value(t), 3);
        // Documented (docs/SIMULATOR.md): peak 2.27 ns after arrival, FWHM 7.73 ns.
        Assert.InRange(shape.FullWidthHalfMaximumNs, 7.70, 7.76);
        Assert.False(new SimulationConfig().FrontEnd);
    }

    [Fact]
    public void Through_the_front_end_a_single_electron_gives_the_documented_pulse_shape()
    {
        var shape = new PulseShape(frontEnd: true);
        // Peak and half-maximum points of the numerical convolution.
        double peakT = 0, peak = 0;
        for (double t = 0.05; t < 60; t += 0.05)
        {
            double v = Convolved(t);
            if (v > peak) (peak, peakT) = (v, t);
        }
        Assert.InRange(shape.PeakTimeNs, peakT - 0.06, peakT + 0.06);
        foreach (double t in new[] { 1.0, 4.0, 10.0, 20.0, 50.0, 100.0 })
            Assert.True(Math.Abs(shape.Value(t) - Convolved(t) / peak) < 2e-3, $"h({t}) = {shape.Value(t):F5}, convolution {Convolved(t) / peak:F5}");
        // Documented (docs/SIMULATOR.md): peak 14.45 ns after arrival, FWHM 29.76 ns.
        Assert.InRange(shape.PeakTimeNs, 14.40, 14.50);
        Assert.InRange(shape.FullWidthHalfMaximumNs, 29.70, 29.82);
    }

    [Fact]
    public void The_sampled_template_lands_at_the_arrival_time()
    {
        var template = new PulseTemplate(new PulseShape(frontEnd: false), 0.5);
        foreach (double arrival in new[] { 100.0, 100.13, 100.49, 37.97 })
        {
            var w = new float[400];
            template.Add(w, arrival, 2f);
            for (int k = 0; k < w.Length; k++)
            {
                double expected = 2 * template.Shape.Value(k * 0.5 - arrival);
                Assert.True(Math.Abs(w[k] - expected) < 0.06, $"arrival {arrival}: sample {k} = {w[k]:F4}, pulse {expected:F4}");
            }
        }
    }

    private static float[] NoiseSamples(SimulationConfig config, int events)
    {
        var generator = new WaveformGenerator(config);
        var scratch = new WaveformGenerator.Scratch();
        var waveform = new float[config.Samples];
        int quiet = (int)(40 / config.SamplingNs); // before the trigger offset of 50 ns nothing has arrived
        var samples = new List<float>();
        for (int i = 0; i < events; i++)
        {
            generator.Generate(Particle.Pion, 5, Simulator.EventRng(3, i), waveform, new SimulatedEvent(), scratch);
            samples.AddRange(waveform.AsSpan(0, quiet).ToArray());
        }
        return samples.ToArray();
    }

    [Theory]
    [InlineData(0.025)]
    [InlineData(0.05)]
    public void White_noise_rms_equals_the_configured_level(double rms)
    {
        var x = NoiseSamples(new SimulationConfig { NoiseRms = rms }, 1000);
        double mean = x.Average(v => (double)v), measured = Math.Sqrt(x.Average(v => (v - mean) * (v - mean)));
        Assert.True(Math.Abs(mean) < 5 * rms / Math.Sqrt(x.Length), $"noise mean {mean}");
        Assert.True(Math.Abs(measured / rms - 1) < 0.01, $"noise rms {measured:G4}, configured {rms}");
        double lag1 = Enumerable.Range(0, x.Length - 1).Average(i => (x[i] - mean) * (x[i + 1] - mean)) / (measured * measured);
        Assert.True(Math.Abs(lag1) < 0.02, $"white noise lag-1 correlation {lag1:F3}");
    }

    [Fact]
    public void Shaped_noise_keeps_its_rms_and_has_the_low_pass_correlation()
    {
        var x = NoiseSamples(new SimulationConfig { NoiseRms = 0.03, NoiseShapingNs = 2 }, 2000);
        double mean = x.Average(v => (double)v), rms = Math.Sqrt(x.Average(v => (v - mean) * (v - mean)));
        Assert.True(Math.Abs(rms / 0.03 - 1) < 0.03, $"shaped noise rms {rms:G4}");
        double lag1 = Enumerable.Range(0, x.Length - 1).Where(i => (i + 1) % 80 != 0).Average(i => (x[i] - mean) * (x[i + 1] - mean)) / (rms * rms);
        Assert.True(Math.Abs(lag1 - Math.Exp(-0.5 / 2)) < 0.03, $"lag-1 correlation {lag1:F3}, expected {Math.Exp(-0.25):F3}");
    }

    [Fact]
    public void The_adc_quantises_and_saturates()
    {
        var config = new SimulationConfig { NoiseRms = 0, AdcBits = 4, AdcMin = 0, AdcMax = 1.6 };
        var generator = new WaveformGenerator(config);
        var w = new float[config.Samples];
        var e = new SimulatedEvent();
        generator.Generate(Particle.Proton, 0.4, Simulator.EventRng(1, 0), w, e, new WaveformGenerator.Scratch());
        // 16 codes of 0.1: every sample is a code centre 0.05 + 0.1 k, and pile-up of a slow proton saturates at 1.55.
        Assert.All(w, v => Assert.True(Math.Abs((v - 0.05) / 0.1 - Math.Round((v - 0.05) / 0.1)) < 1e-4, $"{v} is not a code centre"));
        Assert.Equal(1.55f, w.Max(), 5);
        Assert.Equal(0.05f, w.Min(), 5);
    }
}
