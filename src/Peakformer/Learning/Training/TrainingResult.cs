namespace Peakformer.Learning.Training;

/// <summary>What a training run did: its history, the best epoch by the validation metric, and whether a checkpoint was written.</summary>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> History, int BestEpoch, double BestMetric, bool Saved, bool StoppedEarly)
{
    public double Seconds => History.Sum(e => e.Seconds);
}
