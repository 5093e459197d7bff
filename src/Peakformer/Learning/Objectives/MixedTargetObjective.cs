using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;

namespace Peakformer.Learning.Objectives;

/// <summary>
/// Multi-class cross-entropy against mixed targets (mixup): each example's target is a triple (a, b, lambda) standing
/// for the soft label t = lambda e_a + (1 - lambda) e_b, smoothed to (1 - eps) t + eps / K. The loss is
/// sum_i sum_c w_c t'_{i,c} (-log p_{i,c}) / sum_i (lambda_i w_{a_i} + (1 - lambda_i) w_{b_i}), which at lambda = 1 is
/// <see cref="MultiClassObjective"/>'s (PyTorch's weighted, label-smoothed mean) and without weights is
/// lambda CE(a) + (1 - lambda) CE(b) averaged over the batch. Scores and metrics read class a (validation examples
/// come as (y, y, 1)).
/// </summary>
public sealed class MixedTargetObjective : IObjective
{
    private readonly MultiClassObjective _plain;
    private float[] _soft = [];
    private float[] _first = [];

    public MixedTargetObjective(int classes, float[]? classWeights = null, float labelSmoothing = 0, double minMacroF1 = 0) =>
        _plain = new MultiClassObjective(classes, classWeights, labelSmoothing, minMacroF1);

    public int Classes => _plain.Classes;
    public float LabelSmoothing => _plain.LabelSmoothing;
    public IReadOnlyList<float>? Weights => _plain.Weights;

    public string ScoreName => _plain.ScoreName;
    public string MetricName => _plain.MetricName;
    public bool HigherIsBetter => true;
    public bool GoodEnough(double metric) => _plain.GoodEnough(metric);

    public Tensor Loss(Tape tape, Tensor output, Tensor targets)
    {
        int k = Classes, b = output.Shape[0];
        var y = targets.Data;
        if (y.Length != 3 * b) throw new ArgumentException($"MixedTargetObjective: expected {3 * b} targets (a, b, lambda per example), got {y.Length}.");
        if (_soft.Length != b * k) _soft = new float[b * k];
        Array.Clear(_soft);
        float eps = LabelSmoothing;
        double total = 0;
        for (int i = 0; i < b; i++)
        {
            int ca = MultiClassObjective.ClassOf(y[3 * i], i, k), cb = MultiClassObjective.ClassOf(y[3 * i + 1], i, k);
            float lambda = y[3 * i + 2];
            if (!(lambda >= 0 && lambda <= 1)) throw new InputException($"training targets: row {i} has mixing weight {Finite.Describe(lambda)}, expected one in [0, 1]");
            var row = _soft.AsSpan(i * k, k);
            for (int c = 0; c < k; c++) row[c] = eps / k;
            row[ca] += (1 - eps) * lambda;
            row[cb] += (1 - eps) * (1 - lambda);
            total += lambda * Weight(ca) + (1 - lambda) * Weight(cb);
            for (int c = 0; c < k; c++) row[c] *= Weight(c);
        }
        float scale = (float)(-1 / total);
        for (int j = 0; j < _soft.Length; j++) _soft[j] *= scale;
        var logp = Ops.LogSoftmax(tape, output);
        return Ops.Sum(tape, Ops.Mul(tape, logp, tape.From(_soft, output.Shape)));
    }

    public IObjectiveAccumulator Accumulator() => new FirstClass(_plain.Accumulator(), this);

    private float Weight(int c) => _plain.Weights is { } w ? w[c] : 1f;

    /// <summary>The plain accumulator fed class a of every triple.</summary>
    private sealed class FirstClass(IObjectiveAccumulator inner, MixedTargetObjective owner) : IObjectiveAccumulator
    {
        public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            int n = targets.Length / 3;
            if (owner._first.Length < n) owner._first = new float[n];
            for (int i = 0; i < n; i++) owner._first[i] = targets[3 * i];
            inner.Add(outputs, owner._first.AsSpan(0, n));
        }

        public double Score => inner.Score;
        public double Metric => inner.Metric;
        public IReadOnlyDictionary<string, double> Metrics() => inner.Metrics();
    }
}
