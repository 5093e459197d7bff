namespace Peakformer.Engine.Optimizers;

/// <summary>StepLR: the rate is multiplied by gamma every stepEpochs epochs.</summary>
public sealed class StepDecay(Optimizer optimizer, int stepEpochs, float gamma = 0.1f) : ILearningRateSchedule
{
    private int _epoch;

    public void Step(double? metric = null)
    {
        if (stepEpochs <= 0) throw new InvalidOperationException($"StepDecay: step must be positive, got {stepEpochs}.");
        _epoch++;
        optimizer.LearningRate = optimizer.InitialLearningRate * MathF.Pow(gamma, _epoch / stepEpochs);
    }
}
