namespace Peakformer.DriftChamber.Simulation;

/// <summary>One simulation job: physics config, what crosses the cells, how many events, and the seed.</summary>
public sealed record SimulationRun(SimulationConfig Config, BeamSpec Beam, long Events, ulong Seed)
{
    /// <summary>The index of the first event (a shard's part of a larger run: event i draws from stream i whoever simulates it).</summary>
    public long First { get; init; }

    /// <summary>Events generated per chunk (bounds memory: one chunk of waveforms at a time).</summary>
    public int ChunkEvents { get; init; } = 4096;

    /// <summary>Most waveforms one run writes (about 480 GB of fcc waveforms): a typo such as 1e18 is refused, not started.</summary>
    public const long MaxEvents = 100_000_000;

    public void Validate()
    {
        Config.Validate();
        Beam.Validate();
        Finite.Count("--events", Events, 1, MaxEvents);
        if (ChunkEvents <= 0) throw new ArgumentOutOfRangeException(nameof(ChunkEvents));
        if (First < 0 || First > MaxEvents - Events) throw new ArgumentOutOfRangeException(nameof(First));
    }

    /// <summary>
    /// Shard <paramref name="shard"/>'s events of this run. Each event has its own stream, so any cut works; with
    /// cross-talk an event reads its neighbour within its chunk, so shards are cut at whole chunks and keep the
    /// single run's chunks.
    /// </summary>
    public SimulationRun ForShard(Sharding.Shard shard)
    {
        long block = Config.CrosstalkFraction > 0 ? ChunkEvents : 1;
        var (first, end) = shard.Range(Events, block);
        if (end == first)
            throw new InputException($"--shard {shard}: no events for this shard ({Events:N0} events cut {(block == 1 ? "by event" : $"at chunks of {block:N0} (cross-talk reads the next event of the chunk)")}); use fewer shards");
        return this with { First = First + first, Events = end - first };
    }
}
