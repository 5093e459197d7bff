using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Metrics;
using Peakformer.Learning.Training;

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
    public IObjectiveAccumulator Accumulator() => new Accumulated(_logitThreshold, threshold);

    private sealed class Accumulated(double logitThreshold, double threshold) : IObjectiveAccumulator
    {
        private readonly List<float> _scores = [];
        private readonly List<sbyte> _labels = [];
        private long _correct;
        private RocCurve? _roc;

        public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            _roc = null;
            for (int i = 0; i < outputs.Length; i++)
            {
                bool positive = targets[i] > 0.5f;
                if ((outputs[i] >= logitThreshold) == positive) _correct++;
                _scores.Add(Logistic.Sigmoid(outputs[i]));
                _labels.Add((sbyte)(positive ? 1 : 0));
            }
        }

        public double Score => _labels.Count == 0 ? 0 : (double)_correct / _labels.Count;
        public double Metric => Roc.Auc;

        /// <summary>AUC, TPR at 1% and 10% FPR, and accuracy, precision, recall and F1 at the threshold.</summary>
        public IReadOnlyDictionary<string, double> Metrics()
        {
            var at = BinaryConfusion.At(_scores, _labels, threshold);
            return new Dictionary<string, double>
            {
                ["auc"] = Roc.Auc,
                ["tpr_at_fpr_0.01"] = Roc.TruePositiveRateAt(0.01),
                ["tpr_at_fpr_0.1"] = Roc.TruePositiveRateAt(0.1),
                ["accuracy"] = at.Accuracy,
                ["precision"] = at.Precision,
                ["recall"] = at.Recall,
                ["f1"] = at.F1,
            };
        }

        private RocCurve Roc => _roc ??= RocCurve.Compute(_scores, _labels);
    }
}
