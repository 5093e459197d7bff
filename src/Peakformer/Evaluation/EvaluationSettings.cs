namespace Peakformer.Evaluation;

/// <summary>What <c>peakformer evaluate</c> compares, on which data.</summary>
public sealed record EvaluationSettings
{
    public required string DataPath { get; init; }
    /// <summary>How to read the data (ADC pedestal and gain, sampling, array names, --invert).</summary>
    public Data.Waveforms.WaveformReadOptions Read { get; init; } = Data.Waveforms.WaveformReadOptions.None;
    public IReadOnlyList<string> ModelPaths { get; init; } = [];
    /// <summary>Classical finders: "deriv", "d2".</summary>
    public IReadOnlyList<string> Classical { get; init; } = ["deriv", "d2"];
    /// <summary>Waveforms the classical thresholds are tuned on (training data); without one, the published typical values are used.</summary>
    public string? TuneDataPath { get; init; }
    public int TuneEvents { get; init; } = 300;
    /// <summary>Evaluate at most this many waveforms (0: all).</summary>
    public int Events { get; init; }
    /// <summary>A found peak matches a truth electron peak within this many samples.</summary>
    public int ToleranceSamples { get; init; } = DriftChamber.Physics.DriftChamberConstants.ToleranceSamples;
    /// <summary>Model peaks closer than this are merged (the higher score wins).</summary>
    public int MinSeparation { get; init; } = DriftChamber.Physics.DriftChamberConstants.MinSeparationSamples;
    /// <summary>Decision threshold for every model (null: each checkpoint's own).</summary>
    public double? Threshold { get; init; }
    public int ExampleWaveforms { get; init; } = 3;

    public void Validate()
    {
        Read.Validate();
        foreach (var c in Classical) DriftChamber.Finders.MethodSpec.Parse(c, "--classical", DriftChamber.Finders.MethodKind.Classical);
        if (ModelPaths.Count == 0 && Classical.Count == 0) throw new InputException("evaluate: nothing to evaluate (give --models and/or --classical)");
        Finite.Count("--tolerance", ToleranceSamples, 0, DriftChamber.Windows.WindowOptions.MaxToleranceSamples);
        if (Threshold is { } t) Finite.OpenUnit("--threshold", t);
        Finite.Count("--events", Events, 0, int.MaxValue);
    }
}
