namespace Peakformer.Engine.Optimizers;

/// <summary>CosineAnnealingLR: lr(t) = eta_min + (lr0 - eta_min) (1 + cos(pi t / T_max)) / 2, t counted in epochs.</summary>
public sealed class CosineAnnealing(Optimizer optimizer, int periodEpochs, float minLearningRate = 0f) : ILearningRateSchedule
{
    private int _epoch;

    public void Step(double? metric = null)
    {
        if (periodEpochs <= 0) throw new InvalidOperationException($"CosineAnnealing: period must be positive, got {periodEpochs}.");
        _epoch++;
        // As PyTorch, the cosine simply continues past T_max (it rises again); callers pick T_max = epochs.
        optimizer.LearningRate = (float)(minLearningRate + (optimizer.InitialLearningRate - minLearningRate) * (1 + Math.Cos(Math.PI * _epoch / periodEpochs)) / 2);
    }
}
