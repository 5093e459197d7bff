using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Hostile;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.DriftChamber;

/// <summary>NaN and infinity never reach a model or a file: refused where waveforms are read, never made by the simulator.</summary>
public class NonFiniteDataTests
{
    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void A_non_finite_sample_is_refused_naming_file_waveform_and_sample(float value, string shown)
    {
        using var folder = new TempFolder();
        string good = folder.File("good.npz");
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "8", "--out", good).Exit);
        string bad = HostileCopies.PoisonWaveform(good, folder.File("bad.npz"), 5, 40, value);
        using var data = WaveformDataset.Open(bad);
        data.ReadWaveforms(0, 5); // the waveforms before the bad one read fine
        var e = Assert.Throws<InputException>(() => data.ReadWaveforms(2, 6));
        Assert.Equal($"{bad} [waveforms]: waveform 5 sample 40 is {shown}", e.Message);
        Assert.Throws<InputException>(() => data.ReadWaveforms([7, 5]));
    }

    [Theory]
    [InlineData("adc_min", -1e308)]
    [InlineData("adc_max", 1e308)]
    [InlineData("adc_max", double.PositiveInfinity)]
    [InlineData("gain_mean", double.NaN)]
    [InlineData("sampling_ns", double.PositiveInfinity)]
    public void A_config_out_of_float_range_is_refused_naming_the_field(string field, double value)
    {
        var config = field switch
        {
            "adc_min" => new SimulationConfig { AdcMin = value },
            "adc_max" => new SimulationConfig { AdcMax = value },
            "gain_mean" => new SimulationConfig { GainMean = value },
            _ => new SimulationConfig { SamplingNs = value },
        };
        var e = Assert.Throws<InputException>(() => new WaveformGenerator(config));
        Assert.StartsWith($"config: {field}: expected ", e.Message);
        Assert.EndsWith($"found {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}", e.Message);
    }

    [Fact]
    public void The_widest_accepted_adc_range_still_gives_finite_samples()
    {
        var config = new SimulationConfig { AdcMin = -SimulationConfig.AdcLimit, AdcMax = SimulationConfig.AdcLimit, AdcBits = 24 };
        var generator = new WaveformGenerator(config);
        var waveform = new float[config.Samples];
        for (int i = 0; i < 20; i++)
        {
            generator.Generate(Particle.Pion, 5, Simulator.EventRng(1, i), waveform, new SimulatedEvent(), new WaveformGenerator.Scratch());
            Assert.All(waveform, v => Assert.True(float.IsFinite(v)));
        }
    }

    [Theory]
    [InlineData(Particle.Pion, 1e-300)]
    [InlineData(Particle.Proton, 0.4)]
    [InlineData(Particle.Pion, 1e5)]
    [InlineData(Particle.Pion, double.NaN)]
    public void A_momentum_outside_the_cluster_density_table_is_refused(Particle particle, double momentum)
    {
        var e = Assert.Throws<InputException>(() => BeamSpec.Single(particle, momentum).Validate());
        Assert.StartsWith("--momentum: expected a ", e.Message);
    }
}
