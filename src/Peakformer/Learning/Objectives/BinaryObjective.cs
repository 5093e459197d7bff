using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;
using Peakformer.Learning.Metrics;

namespace Peakformer.Learning.Objectives;

/// <summary>Binary classification on logits: BCE (with a positive weight), accuracy at the threshold, AUC for early stopping.</summary>
public sealed class BinaryObjective(float positiveWeight, double threshold, double minAuc) : IObjective
{
    private readonly double _logitThreshold = Math.Log(threshold / (1 - threshold));

    public string ScoreName => "accuracy";
    public string MetricName => "AUC";
    public bool HigherIsBetter => true;
    public bool GoodEnough(double metric) => metric >= minAuc;
    public Tensor Loss(Tape tape, Tensor output, Tensor targets) => Ops.BceWithLogits(tape, output, targets, positiveWeight);
    public IObjectiveAccumulator Accumulator() => new Accumulated(_logitThreshold);

    private sealed class Accumulated(double logitThreshold) : IObjectiveAccumulator
    {
        private readonly List<float> _scores = [];
        private readonly List<sbyte> _labels = [];
        private long _correct;

        public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                bool positive = targets[i] > 0.5f;
                if ((outputs[i] >= logitThreshold) == positive) _correct++;
                _scores.Add(1f / (1f + MathF.Exp(-outputs[i])));
                _labels.Add((sbyte)(positive ? 1 : 0));
            }
        }

        public double Score => _labels.Count == 0 ? 0 : (double)_correct / _labels.Count;
        public double Metric => RocCurve.Compute(_scores, _labels).Auc;
    }
}
