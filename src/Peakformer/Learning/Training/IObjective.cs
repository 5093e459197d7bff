using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;

namespace Peakformer.Learning.Training;

/// <summary>What a model is trained for: its loss, the score it reports and the metric early stopping follows.</summary>
public interface IObjective
{
    string ScoreName { get; }
    string MetricName { get; }
    bool HigherIsBetter { get; }
    /// <summary>Whether a best-so-far model is good enough to keep as a checkpoint.</summary>
    bool GoodEnough(double metric);
    Tensor Loss(Tape tape, Tensor output, Tensor targets);
    IObjectiveAccumulator Accumulator();
}

/// <summary>Collects outputs and targets over an epoch.</summary>
public interface IObjectiveAccumulator
{
    void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets);
    double Score { get; }
    /// <summary>The early-stopping metric (may be costlier than the score; only asked for validation).</summary>
    double Metric { get; }
    /// <summary>The epoch's figures by name, computed by Learning/Metrics (only asked for validation).</summary>
    IReadOnlyDictionary<string, double> Metrics();
}
