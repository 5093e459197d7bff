namespace Peakformer.DriftChamber.Identification;

/// <summary>A counting method's separation against momentum.</summary>
public sealed record PidMethodResult
{
    public required string Name { get; init; }
    /// <summary>"truth", "classical" or "model" (as the counters say).</summary>
    public required string Kind { get; init; }
    public string Settings { get; init; } = "";
    public List<PidPoint> Points { get; init; } = [];
}
