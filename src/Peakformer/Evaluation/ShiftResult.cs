namespace Peakformer.Evaluation;

/// <summary>
/// One figure of one method on one set: peak-finding F1 (error: binomial, F1 taken as a proportion of (truth + found) / 2
/// trials) or count MAE (error: sqrt((MSE - MAE^2) / N)), and its change from the nominal set under the same mitigation.
/// </summary>
public sealed record ShiftRow(string Set, string Overrides, string Mitigation, string Method, string Metric, double Value, double Error, double Change);

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
