namespace Peakformer.Evaluation;

/// <summary>What <c>peakformer count</c> compares, on which data.</summary>
public sealed record CountEvaluationSettings
{
    public required string DataPath { get; init; }
    /// <summary>How to read DataPath when it is not Peakformer's own .npz (calibration, sampling, array names).</summary>
    public Data.Waveforms.WaveformReadOptions Read { get; init; } = Data.Waveforms.WaveformReadOptions.None;
    /// <summary>Count-model checkpoints (count transformer, one-step).</summary>
    public IReadOnlyList<string> CountModels { get; init; } = [];
    /// <summary>Peak-model checkpoints whose peaks are clusterised, each optionally at another threshold (MODEL@0.9).</summary>
    public IReadOnlyList<string> PeakModels { get; init; } = [];
    /// <summary>Classical finders whose peaks are clusterised: "deriv", "d2".</summary>
    public IReadOnlyList<string> Classical { get; init; } = ["deriv", "d2"];
    /// <summary>Training data: tunes the classical thresholds and, without a count model, gives the constant-mean baseline.</summary>
    public string? TrainDataPath { get; init; }
    public int TuneEvents { get; init; } = 300;
    /// <summary>Also clusterise the truth electron peaks (what clusterisation alone loses).</summary>
    public bool TruthPeaks { get; init; } = true;
    /// <summary>Clusterisation: a peak within s sqrt(t) ns of its cluster's first peak joins it.</summary>
    public double ClusterisationS { get; init; } = DriftChamber.Counting.Clusterisation.DefaultS;
    public int MomentumBins { get; init; } = 5;
    /// <summary>The most momentum bins asked for (also the bound on a shard's count plan read back by merge).</summary>
    public const int MaxMomentumBins = 1000;
    /// <summary>Evaluate at most this many waveforms (0: all).</summary>
    public int Events { get; init; }
    /// <summary>--normalise: models (count models, peak models clusterised) read each waveform normalised per waveform; classical finders and truth do not.</summary>
    public bool Normalise { get; init; }

    public void Validate()
    {
        Read.Validate();
        foreach (var c in Classical) DriftChamber.Finders.MethodSpec.Parse(c, "--classical", DriftChamber.Finders.MethodKind.Classical);
        if (CountModels.Count == 0 && PeakModels.Count == 0 && Classical.Count == 0 && !TruthPeaks)
            throw new InputException("count: nothing to compare (give --models, --peak-models and/or --classical)");
        Finite.Positive("--s", ClusterisationS, DriftChamber.Counting.Clusterisation.MaxS);
        Finite.Count("--momentum-bins", MomentumBins, 1, MaxMomentumBins);
        Finite.Count("--events", Events, 0, int.MaxValue);
        foreach (var spec in PeakModels) DriftChamber.Finders.MethodSpec.Parse(spec, "--peak-models", DriftChamber.Finders.MethodKind.Model);
        foreach (var path in CountModels.Concat(TrainDataPath is null ? [] : [TrainDataPath]))
            if (!File.Exists(path)) throw new InputException($"{path}: file not found");
    }
}
