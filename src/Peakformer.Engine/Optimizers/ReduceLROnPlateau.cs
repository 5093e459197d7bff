namespace Peakformer.Engine.Optimizers;

/// <summary>
/// ReduceLROnPlateau as PyTorch (relative threshold mode): when the metric has not improved by more than
/// threshold (relative) for more than patience epochs, lr = max(lr factor, min_lr), then wait cooldown epochs.
/// </summary>
public sealed class ReduceLROnPlateau : ILearningRateSchedule
{
    private readonly Optimizer _optimizer;
    private double _best;
    private int _badEpochs;
    private int _cooldownLeft;

    public ReduceLROnPlateau(Optimizer optimizer, bool maximise = false, float factor = 0.1f, int patience = 10,
        float minLearningRate = 0f, double threshold = 1e-4, int cooldown = 0)
    {
        if (factor is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(factor), $"ReduceLROnPlateau: factor must be in (0, 1), got {factor}.");
        _optimizer = optimizer;
        Maximise = maximise;
        Factor = factor;
        Patience = patience;
        MinLearningRate = minLearningRate;
        Threshold = threshold;
        Cooldown = cooldown;
        _best = maximise ? double.NegativeInfinity : double.PositiveInfinity;
    }

    public bool Maximise { get; }
    public float Factor { get; }
    public int Patience { get; }
    public float MinLearningRate { get; }
    public double Threshold { get; }
    public int Cooldown { get; }

    public void Step(double? metric = null)
    {
        if (metric is not { } value) throw new ArgumentException("ReduceLROnPlateau: Step needs the monitored metric.");
        // PyTorch's 'rel' mode compares against best * (1 -/+ threshold) whatever the sign of best.
        bool better = Maximise ? value > _best * (1 + Threshold) : value < _best * (1 - Threshold);
        if (better)
        {
            _best = value;
            _badEpochs = 0;
        }
        else _badEpochs++;
        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badEpochs = 0;
        }
        if (_badEpochs > Patience)
        {
            _optimizer.LearningRate = Math.Max(_optimizer.LearningRate * Factor, MinLearningRate);
            _cooldownLeft = Cooldown;
            _badEpochs = 0;
        }
    }
}
