using Peakformer.Learning.Metrics;
using Peakformer.Learning.Training;

namespace Peakformer.Evaluation;

/// <summary>A momentum interval of the evaluation data, in GeV/c.</summary>
public sealed record MomentumBin(double LowGeV, double HighGeV, int Waveforms);

/// <summary>A counting method's errors on the waveforms of one particle type.</summary>
public sealed record ParticleCount(string Particle, int Waveforms, RegressionMetrics Metrics);

/// <summary>One counting method on the evaluation waveforms, overall and per momentum bin.</summary>
public sealed record CountMethodResult
{
    public required string Name { get; init; }
    /// <summary>"baseline", "classical", "truth" (clusterisation of truth peaks) or "model".</summary>
    public required string Kind { get; init; }
    public string Settings { get; init; } = "";
    /// <summary>MAE, MSE, bias and resolution sigma(pred - true) / mean(true): the relative spread of the count, which the dN/dx resolution follows.</summary>
    public required RegressionMetrics Overall { get; init; }
    public List<RegressionMetrics> ByMomentum { get; init; } = [];
    /// <summary>Per particle type, when the data says which particle made each waveform; else empty.</summary>
    public List<ParticleCount> ByParticle { get; init; } = [];
    /// <summary>Mean predicted count for each true count from ResponseFrom (NaN where no waveform has that count).</summary>
    public int ResponseFrom { get; init; }
    public double[] Response { get; init; } = [];
    public double[] ResidualEdges { get; init; } = [];
    public long[] ResidualHistogram { get; init; } = [];
}

/// <summary>A model's improvement over a baseline, (baseline - model) / baseline, overall and per momentum bin.</summary>
public sealed record CountImprovement(string Model, string Baseline, double Mae, double Mse, double[] MaeByMomentum);

/// <summary>A count model's training history, for the report's curves.</summary>
public sealed record CountTrainingHistory(string Name, string Path, string Data, int BestEpoch, double BestValidationMae, List<EpochRecord> History);

/// <summary>Everything <c>peakformer count</c> measured.</summary>
public sealed record CountEvaluationResult
{
    public required string Data { get; init; }
    public int Waveforms { get; init; }
    public double MeanClusters { get; init; }
    public double ClusterisationS { get; init; }
    public string? TuningData { get; init; }
    public List<MomentumBin> MomentumBins { get; init; } = [];
    public List<CountMethodResult> Methods { get; init; } = [];
    public List<CountImprovement> Improvements { get; init; } = [];
    public List<CountTrainingHistory> Training { get; init; } = [];
    public double Seconds { get; set; }
}
