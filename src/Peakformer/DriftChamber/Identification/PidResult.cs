namespace Peakformer.DriftChamber.Identification;

/// <summary>Everything <c>peakformer pid</c> measured.</summary>
public sealed record PidResult
{
    /// <summary>The two particles, a then b.</summary>
    public required string[] Particles { get; init; }
    public required string Preset { get; init; }
    public int Tracks { get; init; }
    public int Cells { get; init; }
    public int Pool { get; init; }
    /// <summary>Mean gas path in one cell, and the track length every track's count is normalised to (cells x mean).</summary>
    public double CellLengthCm { get; init; }
    public double TrackLengthCm { get; init; }
    public double ClusterisationS { get; init; }
    public string? TuningData { get; init; }
    public int Replicas { get; init; }
    public ulong Seed { get; init; }
    public double[] MomentaGeV { get; init; } = [];
    public List<PidMethodResult> Methods { get; init; } = [];
    public List<PidComparison> Comparisons { get; init; } = [];
    public List<PidDistribution> Distributions { get; init; } = [];
    public double Seconds { get; set; }
}
