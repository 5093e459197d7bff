using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;

namespace Peakformer.Learning.Objectives;

/// <summary>
/// Regression of a standardised target, y' = (y - mean) / scale: MSE on y', RMSE as the score and MAE as the
/// early-stopping metric, both in the target's own units.
/// </summary>
public sealed class RegressionObjective(double mean, double scale) : IObjective
{
    public double Mean { get; } = mean;
    public double Scale { get; } = scale > 0 ? scale : 1;

    public string ScoreName => "RMSE";
    public string MetricName => "MAE";
    public bool HigherIsBetter => false;
    public bool GoodEnough(double metric) => true;
    public Tensor Loss(Tape tape, Tensor output, Tensor targets) => Ops.MseLoss(tape, output, targets);
    public IObjectiveAccumulator Accumulator() => new Accumulated(Scale);

    private sealed class Accumulated(double scale) : IObjectiveAccumulator
    {
        private double _absolute, _squared;
        private long _count;

        public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            for (int i = 0; i < outputs.Length; i++)
            {
                double d = (outputs[i] - targets[i]) * scale;
                _absolute += Math.Abs(d);
                _squared += d * d;
                _count++;
            }
        }

        public double Score => _count == 0 ? 0 : Math.Sqrt(_squared / _count);
        public double Metric => _count == 0 ? 0 : _absolute / _count;
    }
}
