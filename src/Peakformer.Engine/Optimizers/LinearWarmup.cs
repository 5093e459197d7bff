namespace Peakformer.Engine.Optimizers;

/// <summary>
/// Linear warm-up over the first epochs: lr = lr0 (t + 1) / (warmup + 1) for t &lt; warmup, after which the inner
/// schedule (if any) takes over, stepped with the epochs after warm-up.
/// </summary>
public sealed class LinearWarmup : ILearningRateSchedule
{
    private readonly Optimizer _optimizer;
    private readonly int _warmup;
    private readonly ILearningRateSchedule? _then;
    private int _epoch;

    public LinearWarmup(Optimizer optimizer, int warmupEpochs, ILearningRateSchedule? then = null)
    {
        if (warmupEpochs < 0) throw new ArgumentOutOfRangeException(nameof(warmupEpochs), $"LinearWarmup: epochs must be non-negative, got {warmupEpochs}.");
        _optimizer = optimizer;
        _warmup = warmupEpochs;
        _then = then;
        if (warmupEpochs > 0) optimizer.LearningRate = optimizer.InitialLearningRate / (warmupEpochs + 1);
    }

    public void Step(double? metric = null)
    {
        _epoch++;
        if (_epoch < _warmup) _optimizer.LearningRate = _optimizer.InitialLearningRate * (_epoch + 1) / (_warmup + 1);
        else if (_epoch == _warmup) _optimizer.LearningRate = _optimizer.InitialLearningRate;
        else _then?.Step(metric);
    }
}
