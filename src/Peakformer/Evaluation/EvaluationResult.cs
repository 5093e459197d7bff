using Peakformer.DriftChamber.Finders;
using Peakformer.Learning.Metrics;
using Peakformer.Learning.Training;

namespace Peakformer.Evaluation;

/// <summary>An operating point of a scored finder: threshold, efficiency, purity, and the counts they are fractions of (for binomial intervals).</summary>
public sealed record CurvePoint(double Threshold, double Efficiency, double Purity)
{
    public long TruthPeaks { get; init; }
    public long FoundPeaks { get; init; }
    public long Matched { get; init; }
}

/// <summary>Peak-level figures of one finder on the waveforms of one particle type.</summary>
public sealed record ParticlePeakMetrics(string Particle, int Waveforms, double Efficiency, double Purity, double F1, long TruthPeaks, long FoundPeaks, long Matched);

/// <summary>Peak-level figures of one finder on the evaluation waveforms.</summary>
public sealed record FinderMetrics
{
    public required string Name { get; init; }
    public required string Kind { get; init; }
    public string Settings { get; init; } = "";
    public double? Threshold { get; init; }
    public double Efficiency { get; init; }
    public double Purity { get; init; }
    public double F1 { get; init; }
    public long TruthPeaks { get; init; }
    public long FoundPeaks { get; init; }
    public long Matched { get; init; }
    public double ResidualMeanNs { get; init; }
    public double ResidualRmsNs { get; init; }
    public double[] EfficiencyByPileUp { get; init; } = [];
    public long[] TruthByPileUp { get; init; } = [];
    public long[] MatchedByPileUp { get; init; } = [];
    public double[] ResidualHistogramEdgesNs { get; init; } = [];
    public long[] ResidualHistogram { get; init; } = [];
    public List<CurvePoint> Curve { get; init; } = [];
    public List<ScanPoint> TuningScan { get; init; } = [];
    /// <summary>Per particle type, when the data says which particle made each waveform; else empty.</summary>
    public List<ParticlePeakMetrics> ByParticle { get; init; } = [];
}

/// <summary>Window-level classification figures of one model on all candidate windows of the evaluation waveforms.</summary>
public sealed record WindowMetrics
{
    public required string Model { get; init; }
    public long Windows { get; init; }
    public long Signal { get; init; }
    public double Auc { get; init; }
    public double TprAtFpr1e2 { get; init; }
    public double TprAtFpr1e3 { get; init; }
    public double Threshold { get; init; }
    public double Accuracy { get; init; }
    public double Precision { get; init; }
    public double Recall { get; init; }
    public double F1 { get; init; }
    public BinaryConfusion Confusion { get; init; } = new(0, 0, 0, 0);
    public double[] RocFpr { get; init; } = [];
    public double[] RocTpr { get; init; } = [];
}

/// <summary>A model's efficiency at the purity a classical finder reaches (the best threshold with purity at least that).</summary>
public sealed record EqualPurityComparison(string Model, string Classical, double ClassicalPurity, double ClassicalEfficiency,
    double? ModelEfficiency, double? ModelPurity, double? ModelThreshold);

/// <summary>A trained model's history, for the report's training curves.</summary>
public sealed record ModelHistory(string Name, string Path, string Data, int BestEpoch, double BestValidationAuc, List<EpochRecord> History);

/// <summary>Example waveform with every finder's peaks, for the report's figures.</summary>
public sealed record ExampleWaveform(int Event, List<(string Finder, int[] Peaks)> Detections);

/// <summary>Everything one evaluation measured; written as metrics.json.</summary>
public sealed record EvaluationResult
{
    public required string Data { get; init; }
    public int Waveforms { get; init; }
    public double SamplingNs { get; init; }
    public int ToleranceSamples { get; init; }
    public string? TuningData { get; init; }
    public List<FinderMetrics> Finders { get; init; } = [];
    public List<WindowMetrics> WindowLevel { get; init; } = [];
    public List<EqualPurityComparison> EqualPurity { get; init; } = [];
    public List<ModelHistory> Training { get; init; } = [];
    [System.Text.Json.Serialization.JsonIgnore] public List<ExampleWaveform> Examples { get; init; } = [];
    public double Seconds { get; set; }
}
