using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Metrics;
using Peakformer.Learning.Training;

namespace Peakformer.Learning.Objectives;

/// <summary>
/// Multi-class classification on logits [B, K] against class indices (targets [B], stored as floats 0 .. K-1):
/// cross-entropy as PyTorch's CrossEntropyLoss(weight=w, label_smoothing=eps), accuracy as the score and macro-F1
/// for early stopping. With weights and smoothing together the loss is
/// sum_i [(1 - eps) w_{y_i} (-log p_{i,y_i}) + eps / K sum_c w_c (-log p_{i,c})] / sum_i w_{y_i}
/// (PyTorch's weighted mean: both terms divided by the summed weights of the targets).
/// </summary>
public sealed class MultiClassObjective : IObjective
{
    private readonly float[]? _weights;
    private int[] _targets = [];

    /// <param name="classWeights">One weight per class (e.g. <see cref="ClassWeights.Balanced"/>), or null for none.</param>
    /// <param name="minMacroF1">A best-so-far model is kept as a checkpoint only from this macro-F1 on.</param>
    public MultiClassObjective(int classes, float[]? classWeights = null, float labelSmoothing = 0, double minMacroF1 = 0)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), $"MultiClassObjective: expected at least 2 classes, got {classes}.");
        if (classWeights is not null)
        {
            if (classWeights.Length != classes)
                throw new InputException($"class weights: expected {classes} (one per class), found {classWeights.Length}");
            for (int c = 0; c < classes; c++) Finite.Positive($"class weights[{c}]", classWeights[c], 1e6);
        }
        Finite.InRange("--label-smoothing", labelSmoothing, 0, 1);
        Finite.InRange("--min-macro-f1", minMacroF1, 0, 1);
        (Classes, _weights, LabelSmoothing, MinMacroF1) = (classes, classWeights, labelSmoothing, minMacroF1);
    }

    /// <summary>Balanced class weights (<see cref="ClassWeights.Balanced"/>) from the training labels.</summary>
    public static MultiClassObjective Balanced(IReadOnlyList<int> trainLabels, int classes, float labelSmoothing = 0, double minMacroF1 = 0) =>
        new(classes, ClassWeights.Balanced(trainLabels, classes), labelSmoothing, minMacroF1);

    public int Classes { get; }
    public IReadOnlyList<float>? Weights => _weights;
    public float LabelSmoothing { get; }
    public double MinMacroF1 { get; }

    public string ScoreName => "accuracy";
    public string MetricName => "macro-F1";
    public bool HigherIsBetter => true;
    public bool GoodEnough(double metric) => metric >= MinMacroF1;

    public Tensor Loss(Tape tape, Tensor output, Tensor targets)
    {
        // The op reads int class indices; the buffer is kept while the batch size stays (the tape's backward reads it).
        var y = targets.Data;
        if (_targets.Length != y.Length) _targets = new int[y.Length];
        for (int i = 0; i < y.Length; i++) _targets[i] = ClassOf(y[i], i, Classes);
        return Ops.CrossEntropy(tape, output, _targets, _weights, LabelSmoothing);
    }

    public IObjectiveAccumulator Accumulator() => new Accumulated(Classes);

    /// <summary>The class index a float target stands for; anything but a whole number in [0, K) is bad input.</summary>
    internal static int ClassOf(float target, int row, int classes)
    {
        if (!(target >= 0 && target < classes && target == MathF.Floor(target)))
            throw new InputException($"training targets: row {row} is {Finite.Describe(target)}, expected a class index in [0, {classes - 1}]");
        return (int)target;
    }

    private sealed class Accumulated(int classes) : IObjectiveAccumulator
    {
        private readonly List<int> _truth = [], _predicted = [];
        private ClassificationMetrics? _metrics;
        private long _correct;

        public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            _metrics = null;
            for (int i = 0; i < targets.Length; i++)
            {
                var row = outputs.Slice(i * classes, classes);
                int best = 0;
                for (int c = 1; c < classes; c++) if (row[c] > row[best]) best = c;
                _truth.Add(ClassOf(targets[i], i, classes));
                _predicted.Add(best);
                if (best == _truth[^1]) _correct++;
            }
        }

        public double Score => _truth.Count == 0 ? 0 : (double)_correct / _truth.Count;
        public double Metric => _truth.Count == 0 ? 0 : Computed.MacroF1;

        /// <summary>Accuracy, macro and weighted precision / recall / F1 over all K classes (absent ones included, as sklearn with labels=range(K)).</summary>
        public IReadOnlyDictionary<string, double> Metrics()
        {
            if (_truth.Count == 0) return new Dictionary<string, double>();
            var m = Computed;
            return new Dictionary<string, double>
            {
                ["accuracy"] = m.Accuracy,
                ["macro_precision"] = m.MacroPrecision,
                ["macro_recall"] = m.MacroRecall,
                ["macro_f1"] = m.MacroF1,
                ["weighted_f1"] = m.WeightedF1,
            };
        }

        private ClassificationMetrics Computed => _metrics ??= ClassificationMetrics.Of(_truth, _predicted, Enumerable.Range(0, classes).ToArray());
    }
}
