namespace Peakformer.Evaluation;

/// <summary>What <c>peakformer shift</c> measures: which finders, on which shifted simulations, with which mitigations.</summary>
public sealed record ShiftSettings
{
    /// <summary>Peak-model and count-model checkpoints and classical finders (deriv, d2).</summary>
    public required IReadOnlyList<string> Methods { get; init; }
    /// <summary>The shifted sets; the nominal set (no override) is always simulated first.</summary>
    public required IReadOnlyList<ShiftSet> Shifts { get; init; }
    public string Preset { get; init; } = "fcc";
    public string Particle { get; init; } = "pion";
    public string Momentum { get; init; } = "5";
    /// <summary>Waveforms per set.</summary>
    public int Events { get; init; } = 1000;
    /// <summary>Every set is simulated with this seed, so its electrons are the nominal set's and only the knob differs.</summary>
    public ulong Seed { get; init; } = 7;
    /// <summary>Waveforms of the nominal tuning set (seed + 1) the classical thresholds and the constant-mean baseline come from.</summary>
    public int TuneEvents { get; init; } = 300;
    /// <summary>Also evaluate every set after per-waveform amplitude normalisation.</summary>
    public bool Normalise { get; init; }

    public void Validate()
    {
        if (Methods.Count == 0) throw new InputException("--model: expected at least one checkpoint or classical finder (deriv, d2), found none");
        if (Shifts.Count == 0) throw new InputException("shift: expected at least one shifted set (--set-list or --shifts), found none");
        Finite.Count("--events", Events, 1, 10_000_000);
        Finite.Count("--tune-events", TuneEvents, 1, 10_000_000);
        var labels = new HashSet<string> { ShiftSet.NominalLabel };
        foreach (var s in Shifts)
            if (!labels.Add(s.Label)) throw new InputException($"shift: expected distinct set labels, found '{s.Label}' twice (or the reserved '{ShiftSet.NominalLabel}')");
        foreach (var m in Methods)
            if (!m.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) DriftChamber.Finders.MethodSpec.ClassicalFinder(m, "--model");
            else if (!File.Exists(m)) throw new InputException($"{m}: file not found");
    }
}
