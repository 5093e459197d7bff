namespace Peakformer.Evaluation;

/// <summary>What <c>peakformer shift</c> measures: which finders, on which shifted simulations, with which mitigations.</summary>
public sealed record ShiftSettings
{
    /// <summary>Peak-model and count-model checkpoints (MODEL or MODEL@0.9) and classical finders (deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2), as <see cref="DriftChamber.Finders.MethodSpec"/> reads them.</summary>
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
        var labels = new HashSet<string>();
        foreach (var s in Shifts)
        {
            if (s.Label == ShiftSet.NominalLabel)
                throw new InputException($"shift: expected a label other than '{ShiftSet.NominalLabel}' (the unshifted set, always simulated), found a shifted set labelled '{s.Label}'");
            if (!labels.Add(s.Label)) throw new InputException($"shift: expected distinct set labels, found '{s.Label}' twice");
        }
        foreach (var m in Methods) DriftChamber.Finders.MethodSpec.Parse(m, "--model", DriftChamber.Finders.MethodKind.Classical, DriftChamber.Finders.MethodKind.Model);
    }
}
