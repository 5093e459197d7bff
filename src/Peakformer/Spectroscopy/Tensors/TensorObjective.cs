using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// The tensor task's loss on outputs R_hat [B, 9] against tensors R [B, 9]: the sign-invariant MSE
/// mean_b min(||R_hat - R||^2, ||R_hat + R||^2) / 9 (intensities cannot tell R from -R) plus the symmetry penalty
/// lambda mean_b ||R_hat - R_hat^T||_F^2 (ters-ml-math-reference.md §6). The min picks a sign per example from the
/// forward values; its gradient is that branch's (as autograd's min), so the MSE is the engine's MseLoss against the
/// sign-matched targets, and the penalty is built from Reshape, Transpose, Add, Mul and Sum: backward is the tape's.
/// Score and early-stopping metric: the sign-invariant RMSE (lower is better).
/// </summary>
public sealed class TensorObjective : IObjective
{
    public TensorObjective(float symmetryPenalty)
    {
        Finite.InRange("--symmetry-penalty", symmetryPenalty, 0, 1e6);
        SymmetryPenalty = symmetryPenalty;
    }

    public float SymmetryPenalty { get; }
    public string ScoreName => "RMSE";
    public string MetricName => "RMSE";
    public bool HigherIsBetter => false;
    public bool GoodEnough(double metric) => true;

    public Tensor Loss(Tape tape, Tensor output, Tensor targets)
    {
        if (output.Shape.Rank != 2 || output.Shape[1] != 9 || targets.Shape != output.Shape)
            throw new ArgumentException($"TensorObjective: expected outputs and targets [batch, 9], got {output.Shape} and {targets.Shape}.");
        int batch = output.Shape[0];
        var matched = tape.Empty(output.Shape);
        for (int b = 0; b < batch; b++)
        {
            var t = targets.Data.Slice(b * 9, 9);
            int sign = TensorMath.Sign(output.Data.Slice(b * 9, 9), t);
            for (int k = 0; k < 9; k++) matched.Data[b * 9 + k] = sign * t[k];
        }
        var loss = Ops.MseLoss(tape, output, matched);
        if (SymmetryPenalty == 0) return loss;
        var r = Ops.Reshape(tape, output, new Shape(batch, 3, 3));
        var antisymmetric = Ops.Add(tape, r, Ops.Scale(tape, Ops.Transpose(tape, r, 1, 2), -1f));
        var penalty = Ops.Scale(tape, Ops.Sum(tape, Ops.Mul(tape, antisymmetric, antisymmetric)), SymmetryPenalty / batch);
        return Ops.Add(tape, loss, penalty);
    }

    public IObjectiveAccumulator Accumulator() => new Accumulated();

    private sealed class Accumulated : IObjectiveAccumulator
    {
        private readonly List<float> _predicted = [], _truth = [];

        public void Add(ReadOnlySpan<float> outputs, ReadOnlySpan<float> targets)
        {
            foreach (float v in outputs) _predicted.Add(v);
            foreach (float v in targets) _truth.Add(v);
        }

        private TensorMetrics Figures => TensorMetrics.Of(_predicted.ToArray(), _truth.ToArray());
        public double Score => Figures.Rmse;
        public double Metric => Score;

        public IReadOnlyDictionary<string, double> Metrics()
        {
            var m = Figures;
            return new Dictionary<string, double>
            {
                ["rmse"] = m.Rmse, ["relative_frobenius"] = m.RelativeFrobenius, ["asymmetry"] = m.Asymmetry,
                ["a_error"] = m.MeanAError, ["gamma2_error"] = m.Gamma2Error,
            };
        }
    }
}
