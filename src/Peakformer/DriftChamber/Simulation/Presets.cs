namespace Peakformer.DriftChamber.Simulation;

/// <summary>Named starting points for <see cref="SimulationConfig"/>.</summary>
public static class Presets
{
    public static readonly IReadOnlyList<string> Names = ["fcc", "cepc"];

    /// <summary>
    /// fcc: IDEA-like cell of radius 0.65 cm, 1200 samples at 0.5 ns (600 ns record).
    /// cepc: a larger cell (radius 0.9 cm, estimate for the CEPC drift chamber) and 3000 samples (the public CEPC
    /// sample length) at 0.5 ns.
    /// </summary>
    public static SimulationConfig Get(string name) => name.Trim().ToLowerInvariant() switch
    {
        "fcc" => new SimulationConfig(),
        "cepc" => new SimulationConfig { Preset = "cepc", CellRadiusCm = 0.9, Samples = 3000 },
        _ => throw new InputException($"--preset: expected one of {string.Join(", ", Names)}, found '{name}'"),
    };
}
