using System.Text.Json.Serialization;

namespace Peakformer.Learning.Training;

/// <summary>
/// One epoch: losses, a score (accuracy for classifiers, RMSE for regressors) and the validation metric that drives
/// early stopping (AUC for binary classifiers, macro-F1 for multi-class ones, MAE for regressors).
/// </summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainScore, double ValidationLoss, double ValidationScore,
    double ValidationMetric, double LearningRate, double Seconds)
{
    /// <summary>The objective's validation figures of this epoch by name (null in histories written before they were kept).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, double>? ValidationMetrics { get; init; }
}
