using Peakformer.Engine.Layers;

namespace Peakformer.Engine.Optimizers;

/// <summary>Updates every parameter of a <see cref="ParameterSet"/> from its gradient in one pass over the flat buffers.</summary>
public abstract class Optimizer(ParameterSet parameters, float learningRate)
{
    public ParameterSet Parameters { get; } = parameters;

    /// <summary>The rate used by the next step; schedules change it.</summary>
    public float LearningRate { get; set; } = learningRate > 0 ? learningRate
        : throw new ArgumentOutOfRangeException(nameof(learningRate), $"Learning rate must be positive, got {learningRate}.");

    /// <summary>The rate the optimiser was created with (schedules start from it).</summary>
    public float InitialLearningRate { get; } = learningRate;

    /// <summary>Number of steps taken.</summary>
    public int Steps { get; protected set; }

    public void ZeroGrad() => Parameters.ZeroGrad();

    public abstract void Step();

    /// <summary>Optimiser state (moments) for checkpoints that resume training.</summary>
    public abstract IReadOnlyDictionary<string, float[]> State { get; }

    /// <summary>Restores state saved from <see cref="State"/>; lengths must match.</summary>
    public void LoadState(IReadOnlyDictionary<string, float[]> state, int steps)
    {
        foreach (var (name, values) in State)
        {
            if (!state.TryGetValue(name, out var saved))
                throw new ArgumentException($"Optimizer state: missing '{name}'.");
            if (saved.Length != values.Length)
                throw new ArgumentException($"Optimizer state: '{name}' has {saved.Length} values, expected {values.Length}.");
            saved.CopyTo(values, 0);
        }
        Steps = steps;
    }
}
