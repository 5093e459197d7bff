namespace Peakformer.Evaluation;

/// <summary>What <c>peakformer shift</c> measured.</summary>
public sealed record ShiftResult
{
    public required IReadOnlyList<ShiftSet> Sets { get; init; }
    public int Events { get; init; }
    public ulong Seed { get; init; }
    public string Preset { get; init; } = "";
    public string Beam { get; init; } = "";
    /// <summary>Per model (peak or count), the noise rms its normalised waveforms are scaled to: its checkpoint's training noise (null: no normalisation).</summary>
    public IReadOnlyDictionary<string, double>? NormalisedNoiseRms { get; init; }
    public List<ShiftRow> Rows { get; init; } = [];
    public double Seconds { get; set; }

    public const string F1 = "f1", CountMae = "count_mae", None = "none", Normalised = "normalised";
}
