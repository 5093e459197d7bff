using Peakformer.DriftChamber.Simulation;
using Peakformer.Progress;
using Peakformer.Sharding;

namespace Peakformer.Tests.Sharding;

/// <summary>
/// The simulator's shards: with and without cross-talk (which reads the next event of a chunk), the waveforms and
/// truth of N shards, one after the other, are the single run's bit for bit. Small chunks make the chunk boundaries
/// fall inside the test's few events.
/// </summary>
public class ShardedSimulationTests
{
    private sealed class Collect : IEventSink
    {
        public List<float> Waveforms { get; } = [];
        public List<(int Clusters, ulong Seed, double Momentum)> Truth { get; } = [];

        public void Accept(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events)
        {
            Waveforms.AddRange(waveforms.ToArray());
            foreach (var e in events) Truth.Add((e.Clusters, e.Seed, e.MomentumGeV));
        }
    }

    private static Collect Run(SimulationRun run)
    {
        var sink = new Collect();
        Simulator.Run(run, sink, NullProgress.Instance);
        return sink;
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Shards_one_after_the_other_are_the_single_run(double crosstalk)
    {
        var config = SimulationConfigLoader.Load("fcc", null, [$"crosstalk_fraction={crosstalk.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]);
        var run = new SimulationRun(config, BeamSpec.Parse("pion:0.5,kaon:0.5", "2:20"), 45, 11) { ChunkEvents = 8 };
        var single = Run(run);
        foreach (int count in new[] { 2, 3, 5 })
        {
            var joined = new Collect();
            for (int i = 0; i < count; i++)
            {
                var part = Run(run.ForShard(new Shard(i, count)));
                if (crosstalk > 0) Assert.True(run.ForShard(new Shard(i, count)).First % 8 == 0);
                joined.Waveforms.AddRange(part.Waveforms);
                joined.Truth.AddRange(part.Truth);
            }
            Assert.Equal(single.Truth, joined.Truth);
            Assert.True(single.Waveforms.SequenceEqual(joined.Waveforms), $"{count} shards, cross-talk {crosstalk}: waveforms differ");
        }
    }

    [Fact]
    public void Cross_talk_cut_anywhere_but_at_chunks_would_differ()
    {
        // The reason shards are cut at chunks with cross-talk: a run starting mid-chunk pairs other neighbours.
        var config = SimulationConfigLoader.Load("fcc", null, ["crosstalk_fraction=0.1"]);
        var run = new SimulationRun(config, BeamSpec.Parse("pion", "5"), 16, 11) { ChunkEvents = 8 };
        var single = Run(run);
        var shifted = Run(run with { First = 4, Events = 12 });
        Assert.False(single.Waveforms.Skip(4 * config.Samples).SequenceEqual(shifted.Waveforms));
    }

    [Fact]
    public void A_shard_without_events_is_a_one_line_error()
    {
        var config = SimulationConfigLoader.Load("fcc", null, ["crosstalk_fraction=0.1"]);
        var run = new SimulationRun(config, BeamSpec.Parse("pion", "5"), 10, 1) { ChunkEvents = 8 };
        var e = Assert.Throws<InputException>(() => run.ForShard(new Shard(0, 3)));
        Assert.Contains("--shard 0/3: no events for this shard", e.Message);
    }
}
