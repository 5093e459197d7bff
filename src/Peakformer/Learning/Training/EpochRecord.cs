namespace Peakformer.Learning.Training;

/// <summary>
/// One epoch: losses, a score (accuracy for classifiers, RMSE for regressors) and the validation metric that drives
/// early stopping (AUC for classifiers, MAE for regressors).
/// </summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainScore, double ValidationLoss, double ValidationScore,
    double ValidationMetric, double LearningRate, double Seconds);
