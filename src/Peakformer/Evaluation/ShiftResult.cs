namespace Peakformer.Evaluation;

/// <summary>What <c>peakformer shift</c> measured.</summary>
public sealed record ShiftResult
{
    public required IReadOnlyList<ShiftSet> Sets { get; init; }
    public int Events { get; init; }
    public ulong Seed { get; init; }
    public string Preset { get; init; } = "";
    public string Beam { get; init; } = "";
    /// <summary>Noise rms normalised waveforms are scaled to (null: no normalisation).</summary>
    public double? NormalisedNoiseRms { get; init; }
    public List<ShiftRow> Rows { get; init; } = [];
    public double Seconds { get; set; }

    public const string F1 = "f1", CountMae = "count_mae", None = "none", Normalised = "normalised";
}
