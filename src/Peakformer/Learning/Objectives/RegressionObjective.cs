using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Metrics;
using Peakformer.Learning.Training;

namespace Peakformer.Learning.Objectives;

/// <summary>
/// Regression of a standardised target, y' = (y - mean) / scale: MSE, L1 or Huber (with its delta, in standardised
/// units) on y', RMSE as the score and MAE as the early-stopping metric, both in the target's own units.
/// </summary>
public sealed class RegressionObjective : IObjective
{
    public RegressionObjective(double mean, double scale, RegressionLoss loss = RegressionLoss.Mse, float huberDelta = 1f)
    {
        if (!Enum.IsDefined(loss)) throw new ArgumentOutOfRangeException(nameof(loss), $"RegressionObjective: unknown loss {loss}.");
        Finite.Positive("Huber delta", huberDelta, 1e6);
        (Mean, Scale, LossKind, HuberDelta) = (mean, scale > 0 ? scale : 1, loss, huberDelta);
    }

    public double Mean { get; }
    public double Scale { get; }
    public RegressionLoss LossKind { get; }
    public float HuberDelta { get; }

    public string ScoreName => "RMSE";
    public string MetricName => "MAE";
    public bool HigherIsBetter => false;
    public bool GoodEnough(double metric) => true;

    public Tensor Loss(Tape tape, Tensor output, Tensor targets) => LossKind switch
    {
        RegressionLoss.L1 => Ops.L1Loss(tape, output, targets),
        RegressionLoss.Huber => Ops.HuberLoss(tape, output, targets, HuberDelta),
        _ => Ops.MseLoss(tape, output, targets),
    };

    public IObjectiveAccumulator Accumulator() => new Accumulated(Mean, Scale);

    private sealed class Accumulated(double mean, double scale) : IObjectiveAccumulator
    {
        private double _absolute, _squared;
        private long _count;
        private readonly List<double> _predicted = [], _truth = [];

        public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                double d = (outputs[i] - targets[i]) * scale;
                _absolute += Math.Abs(d);
                _squared += d * d;
                _count++;
                _predicted.Add(outputs[i] * scale + mean);
                _truth.Add(targets[i] * scale + mean);
            }
        }

        public double Score => _count == 0 ? 0 : Math.Sqrt(_squared / _count);
        public double Metric => _count == 0 ? 0 : _absolute / _count;

        /// <summary>MAE, MSE, bias and resolution in the target's own units.</summary>
        public IReadOnlyDictionary<string, double> Metrics()
        {
            var m = RegressionMetrics.Of(_predicted, _truth);
            return new Dictionary<string, double> { ["mae"] = m.Mae, ["mse"] = m.Mse, ["bias"] = m.Bias, ["resolution"] = m.Resolution };
        }
    }
}
