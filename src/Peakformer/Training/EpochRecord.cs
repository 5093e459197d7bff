namespace Peakformer.Training;

/// <summary>Loss, accuracy and validation AUC after one epoch.</summary>
public sealed record EpochRecord(int Epoch, double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy,
    double ValidationAuc, double LearningRate, double Seconds);
