namespace Peakformer.DriftChamber.Simulation;

/// <summary>One simulation job: physics config, what crosses the cells, how many events, and the seed.</summary>
public sealed record SimulationRun(SimulationConfig Config, BeamSpec Beam, long Events, ulong Seed)
{
    /// <summary>Events generated per chunk (bounds memory: one chunk of waveforms at a time).</summary>
    public int ChunkEvents { get; init; } = 4096;

    public void Validate()
    {
        Config.Validate();
        Beam.Validate();
        if (Events <= 0) throw new InputException($"--events: expected a positive number, found {Events}");
        if (ChunkEvents <= 0) throw new ArgumentOutOfRangeException(nameof(ChunkEvents));
    }
}
