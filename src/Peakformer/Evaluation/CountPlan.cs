namespace Peakformer.Evaluation;

/// <summary>
/// What <c>count</c>'s analysis needs besides the per-waveform counts: the data's name and size, the methods in
/// column order, the settings that shape the figures and the count models' training histories. A shard writes it
/// beside its counts (<see cref="CountPoolsFile"/>), so merge analyses the joined pools as the single run does.
/// </summary>
public sealed record CountPlan
{
    public required string Data { get; init; }
    /// <summary>Waveforms of the whole run (every shard's).</summary>
    public int Waveforms { get; init; }
    public double ClusterisationS { get; init; }
    public string? TuningData { get; init; }
    /// <summary>Momentum bins asked for (one when every momentum is equal).</summary>
    public int MomentumBins { get; init; }
    /// <summary>Whether the data says which particle made each waveform (the per-particle tables).</summary>
    public bool HasParticles { get; init; }
    public List<CountMethod> Methods { get; init; } = [];
    public List<CountTrainingHistory> Training { get; init; } = [];
    /// <summary>Time spent counting; a merge's is the shards' total.</summary>
    public double Seconds { get; init; }
}
