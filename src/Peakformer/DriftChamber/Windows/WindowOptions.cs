using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Windows;

/// <summary>
/// How candidate windows are cut (the published peak-classification table, docs/SIMULATION.md): samples
/// t - <see cref="Before"/> .. t + <see cref="After"/> around candidate bin t (15 samples by default); a candidate
/// is signal when a truth electron's pulse peaks within <see cref="ToleranceSamples"/> of t. Balancing keeps, in
/// each waveform, as many randomly chosen background candidates as signal ones.
/// </summary>
public sealed record WindowOptions
{
    public int Before { get; init; } = DriftChamberConstants.WindowBefore;
    public int After { get; init; } = DriftChamberConstants.WindowAfter;
    public int ToleranceSamples { get; init; } = DriftChamberConstants.ToleranceSamples;
    public bool Balance { get; init; }
    public ulong Seed { get; init; } = 42;

    public int Length => Before + 1 + After;

    /// <summary>Largest label tolerance (samples): wider than any pulse, so every candidate near a peak would be signal.</summary>
    public const int MaxToleranceSamples = 1000;

    public void Validate()
    {
        if (Before < 1 || After < 1) throw new InputException($"window: expected at least one sample before and after the candidate, found {Before} and {After}");
        Finite.Count("window: before", Before, 1, 512);
        Finite.Count("window: after", After, 1, 512);
        Finite.Count("--tolerance", ToleranceSamples, 0, MaxToleranceSamples);
    }
}
