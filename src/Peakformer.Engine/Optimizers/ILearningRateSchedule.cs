namespace Peakformer.Engine.Optimizers;

/// <summary>An epoch-wise learning-rate schedule: <see cref="Step"/> is called once per epoch and sets the optimiser's rate.</summary>
public interface ILearningRateSchedule
{
    /// <summary>Advances one epoch. Metric-driven schedules use the validation metric; others ignore it.</summary>
    void Step(double? metric = null);
}
