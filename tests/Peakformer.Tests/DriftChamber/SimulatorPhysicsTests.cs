using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Randomness;

namespace Peakformer.Tests.DriftChamber;

/// <summary>The simulator against the published figures in docs/SIMULATION.md and closed-form statistics.</summary>
public class SimulatorPhysicsTests
{
    // Straight through the wire (b = 0, no dip): every track is 2R = 1.3 cm long.
    private static readonly SimulationConfig Fixed = new() { FixedImpactParameterCm = 0, FixedDipAngleRad = 0, NoiseRms = 0 };

    private static List<SimulatedEvent> Simulate(SimulationConfig config, Particle particle, double momentum, int events, ulong seed = 11)
    {
        var generator = new WaveformGenerator(config);
        var scratch = new WaveformGenerator.Scratch();
        var waveform = new float[config.Samples];
        var list = new List<SimulatedEvent>();
        for (int i = 0; i < events; i++)
        {
            var e = new SimulatedEvent();
            generator.Generate(particle, momentum, Simulator.EventRng(seed, i), waveform, e, scratch);
            list.Add(e);
        }
        return list;
    }

    // Published cluster density (clusters/cm, He/iC4H10 90/10, Delphes TrkUtil::Nclusters), docs/SIMULATION.md.
    [Theory]
    [InlineData(Particle.Proton, 0.5, 42.94)]
    [InlineData(Particle.Pion, 1, 18.97)]
    [InlineData(Particle.Pion, 4, 12.13)]
    [InlineData(Particle.Kaon, 20, 14.08)]
    [InlineData(Particle.Pion, 100, 16.43)]
    public void Cluster_density_reproduces_the_published_table(Particle particle, double betaGamma, double perCm)
    {
        var events = Simulate(Fixed, particle, betaGamma * Particles.Mass(particle), 3000);
        double length = events.Sum(e => e.TrackLengthCm);
        double clusters = events.Sum(e => e.Clusters);
        double error = Math.Sqrt(perCm * length) / length; // Poisson
        Assert.True(Math.Abs(clusters / length - perCm) < 4 * error,
            $"beta*gamma {betaGamma}: {clusters / length:F3} clusters/cm, table {perCm} ± {error:F3}");
    }

    [Fact]
    public void Between_table_points_the_density_is_interpolated_in_log_beta_gamma()
    {
        // Pion at 5 GeV/c: beta*gamma = 35.82, between the points 20 (14.08) and 50 (15.56).
        double bg = 5 / 0.13957;
        double expected = 14.08 + (15.56 - 14.08) * Math.Log(bg / 20) / Math.Log(50.0 / 20);
        Assert.Equal(expected, ClusterDensity.PerCm(bg), 10);
        var events = Simulate(Fixed, Particle.Pion, 5, 3000);
        double length = events.Sum(e => e.TrackLengthCm), clusters = events.Sum(e => e.Clusters);
        Assert.True(Math.Abs(clusters / length - expected) < 4 * Math.Sqrt(expected * length) / length);
    }

    [Fact]
    public void The_cluster_count_is_Poisson_distributed()
    {
        var counts = Simulate(Fixed, Particle.Pion, 4 * Particles.Mass(Particle.Pion), 4000).Select(e => (double)e.Clusters).ToArray();
        double mean = counts.Average();
        double variance = counts.Sum(c => (c - mean) * (c - mean)) / (counts.Length - 1);
        double expectedMean = 12.13 * 1.3;
        Assert.True(Math.Abs(mean - expectedMean) < 4 * Math.Sqrt(expectedMean / counts.Length), $"mean {mean}, expected {expectedMean}");
        // Var/mean of a Poisson sample: 1 with standard error about sqrt(2 / N).
        Assert.True(Math.Abs(variance / mean - 1) < 4 * Math.Sqrt(2.0 / counts.Length), $"variance/mean = {variance / mean:F3}");
    }

    [Fact]
    public void Cluster_sizes_follow_Fischle_with_the_one_over_n_squared_tail()
    {
        // Fischle et al. (docs/SIMULATION.md): P(n) in percent for n = 1..19, then 10.9 / n^2, truncated at 35.
        double[] measured = [76.6, 12.5, 4.6, 2.0, 1.2, 0.75, 0.5, 0.36, 0.25, 0.19, 0.14, 0.10, 0.08, 0.06, 0.048, 0.043, 0.038, 0.034, 0.030];
        var p = Enumerable.Range(1, 35).Select(n => n <= 19 ? measured[n - 1] : 10.9 / (n * (double)n)).ToArray();
        double total = p.Sum();
        double mean = p.Select((v, i) => (i + 1) * v).Sum() / total;
        double tail = p.Skip(19).Sum() / total;
        Assert.InRange(mean, 1.55, 1.65); // "mean about 1.6 with truncation near 35"

        var sizes = new ClusterSize(35);
        var rng = new Rng(5);
        const int n = 400_000;
        var draws = new int[n];
        for (int i = 0; i < n; i++) draws[i] = sizes.Sample(rng);
        double sampleMean = draws.Average();
        double sd = Math.Sqrt(draws.Select(d => (d - sampleMean) * (d - sampleMean)).Average());
        Assert.True(Math.Abs(sampleMean - mean) < 4 * sd / Math.Sqrt(n), $"mean size {sampleMean:F4}, Fischle {mean:F4}");
        foreach (int k in new[] { 1, 2, 3 })
        {
            double expected = p[k - 1] / total, observed = draws.Count(d => d == k) / (double)n;
            Assert.True(Math.Abs(observed - expected) < 4 * Math.Sqrt(expected * (1 - expected) / n), $"P({k}) = {observed:F4}, Fischle {expected:F4}");
        }
        double observedTail = draws.Count(d => d >= 20) / (double)n;
        Assert.True(Math.Abs(observedTail - tail) < 4 * Math.Sqrt(tail / n), $"P(n >= 20) = {observedTail:F5}, 1/n^2 tail {tail:F5}");
        Assert.True(draws.Max() <= 35);

        // The same in whole events: electrons per cluster.
        var events = Simulate(Fixed, Particle.Pion, 5, 2000);
        double perCluster = events.Sum(e => e.Electrons.Count) / (double)events.Sum(e => e.Clusters);
        Assert.True(Math.Abs(perCluster - mean) < 0.03, $"electrons per cluster {perCluster:F3}, expected {mean:F3}");
    }

    [Fact]
    public void Arrival_times_grow_with_the_distance_from_the_wire()
    {
        var drift = new DriftRelation(0.65, 4.0, 2.0, 200);
        Assert.Equal(0.004, drift.Velocity(0), 9);     // 4 cm/us at the wire
        Assert.Equal(0.002, drift.Velocity(0.65), 9);  // 2 cm/us at the edge
        double previousMean = 0;
        foreach (double b in new[] { 0.05, 0.2, 0.35, 0.5, 0.6 })
        {
            var config = Fixed with { FixedImpactParameterCm = b };
            var first = Simulate(config, Particle.Pion, 5, 400).Where(e => e.Electrons.Count > 0).Select(e => (double)e.Electrons[0].TimeNs).ToArray();
            double mean = first.Average();
            Assert.True(mean > previousMean, $"first arrival at b = {b}: {mean:F2} ns, not later than {previousMean:F2} ns");
            // The earliest electrons come from near the closest approach, t0 + t(b), led by up to a few diffusion widths.
            Assert.InRange(mean, 50 + drift.Time(b) - 3 * drift.TimeSpread(b), 50 + drift.Time(b) + 12);
            previousMean = mean;
        }
    }

    [Fact]
    public void Truth_is_consistent_with_itself()
    {
        foreach (var e in Simulate(new SimulationConfig(), Particle.Kaon, 3, 300))
        {
            Assert.Equal(e.Clusters, e.Electrons.Select(x => x.Cluster).Distinct().Count());
            for (int c = 0; c < e.Clusters; c++)
            {
                var members = e.Electrons.Where(x => x.Cluster == c).ToList();
                Assert.Single(members, x => x.Tag == 1);
                Assert.Equal(members.Min(x => x.TimeNs), members.Single(x => x.Tag == 1).TimeNs);
            }
            Assert.True(e.Electrons.Zip(e.Electrons.Skip(1)).All(p => p.First.TimeNs <= p.Second.TimeNs));
            Assert.All(e.Electrons, x => Assert.Equal((int)Math.Floor(x.TimeNs / 0.5), x.Sample));
        }
    }
}
