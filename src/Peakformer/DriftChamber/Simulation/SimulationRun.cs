namespace Peakformer.DriftChamber.Simulation;

/// <summary>One simulation job: physics config, what crosses the cells, how many events, and the seed.</summary>
public sealed record SimulationRun(SimulationConfig Config, BeamSpec Beam, long Events, ulong Seed)
{
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
    }
}
