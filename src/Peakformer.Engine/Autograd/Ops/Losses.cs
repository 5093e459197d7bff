using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Mean binary cross-entropy on logits, computed stably (PyTorch BCEWithLogitsLoss):
    /// l = pw y softplus(-x) + (1 - y) softplus(x), with pos_weight pw (1 when null).
    /// </summary>
    public static Tensor BceWithLogits(Tape tape, Tensor logits, Tensor targets, float? posWeight = null)
    {
        SameShape("BceWithLogits", logits.Shape, targets.Shape);
        float pw = posWeight ?? 1f;
        var x = logits.Data;
        var y = targets.Data;
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
            sum += pw * y[i] * Softplus(-x[i]) + (1 - y[i]) * Softplus(x[i]);
        var loss = tape.Empty(new Shape(1));
        loss.Data[0] = (float)(sum / Math.Max(1, x.Length));
        if (tape.Wants(logits, targets))
        {
            var node = tape.Record<BceNode>(loss);
            node.X = logits;
            node.Y = targets;
            node.PosWeight = pw;
        }
        return tape.Produced(loss, "BceWithLogits");
    }

    /// <summary>
    /// Cross-entropy of logits[N, C] against class indices, as PyTorch's F.cross_entropy: optional class weights
    /// (the mean is normalised by the summed weights of the targets) and label smoothing eps
    /// (loss = (1 - eps) nll + eps / C * sum_c -w_c log p_c, normalised the same way).
    /// </summary>
    public static Tensor CrossEntropy(Tape tape, Tensor logits, int[] targets, float[]? classWeights = null, float labelSmoothing = 0f)
    {
        if (logits.Shape.Rank != 2 || logits.Shape[0] != targets.Length)
            throw new ArgumentException($"CrossEntropy: logits {logits.Shape} do not match {targets.Length} targets (expected [{targets.Length}, classes]).");
        int n = logits.Shape[0], c = logits.Shape[1];
        if (classWeights is not null && classWeights.Length != c)
            throw new ArgumentException($"CrossEntropy: {classWeights.Length} class weights for {c} classes.");
        if (labelSmoothing < 0 || labelSmoothing > 1)
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), $"CrossEntropy: label smoothing must be in [0, 1], got {labelSmoothing}.");
        var logp = LogSoftmax(tape, logits);
        var lp = logp.Data;
        double nll = 0, smooth = 0, weightSum = 0;
        for (int i = 0; i < n; i++)
        {
            int t = targets[i];
            if ((uint)t >= (uint)c) throw new ArgumentException($"CrossEntropy: target {t} at row {i} is outside [0, {c}).");
            float wt = classWeights?[t] ?? 1f;
            weightSum += wt;
            nll -= wt * lp[i * c + t];
            for (int k = 0; k < c; k++) smooth -= (classWeights?[k] ?? 1f) * lp[i * c + k];
        }
        var loss = tape.Empty(new Shape(1));
        loss.Data[0] = (float)(((1 - labelSmoothing) * nll + labelSmoothing / c * smooth) / weightSum);
        if (tape.Wants(logp))
        {
            var node = tape.Record<CrossEntropyNode>(loss);
            node.LogP = logp;
            node.Targets = targets;
            node.Weights = classWeights;
            node.Smoothing = labelSmoothing;
            node.WeightSum = (float)weightSum;
        }
        return tape.Produced(loss, "CrossEntropy");
    }

    /// <summary>Mean squared error.</summary>
    public static Tensor MseLoss(Tape tape, Tensor prediction, Tensor target) => Regression(tape, prediction, target, RegressionKind.Mse, 0f);

    /// <summary>Mean absolute error.</summary>
    public static Tensor L1Loss(Tape tape, Tensor prediction, Tensor target) => Regression(tape, prediction, target, RegressionKind.L1, 0f);

    /// <summary>Mean Huber loss: 0.5 d^2 where |d| &lt; delta, else delta (|d| - 0.5 delta) (PyTorch HuberLoss).</summary>
    public static Tensor HuberLoss(Tape tape, Tensor prediction, Tensor target, float delta = 1f)
    {
        if (delta <= 0) throw new ArgumentOutOfRangeException(nameof(delta), $"HuberLoss: delta must be positive, got {delta}.");
        return Regression(tape, prediction, target, RegressionKind.Huber, delta);
    }

    private enum RegressionKind { Mse, L1, Huber }

    /// <summary>The op names, built once: a name formed per call would allocate on every training step.</summary>
    private static readonly string[] RegressionNames = [nameof(MseLoss), nameof(L1Loss), nameof(HuberLoss)];

    private static Tensor Regression(Tape tape, Tensor prediction, Tensor target, RegressionKind kind, float delta)
    {
        SameShape(RegressionNames[(int)kind], prediction.Shape, target.Shape);
        var p = prediction.Data;
        var t = target.Data;
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            double d = p[i] - t[i], a = Math.Abs(d);
            sum += kind switch
            {
                RegressionKind.Mse => d * d,
                RegressionKind.L1 => a,
                _ => a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta),
            };
        }
        var loss = tape.Empty(new Shape(1));
        loss.Data[0] = (float)(sum / Math.Max(1, p.Length));
        if (tape.Wants(prediction, target))
        {
            var node = tape.Record<RegressionNode>(loss);
            node.P = prediction;
            node.T = target;
            node.Kind = kind;
            node.Delta = delta;
        }
        return tape.Produced(loss, RegressionNames[(int)kind]);
    }

    private static double Softplus(double x) => x > 0 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));

    private sealed class BceNode : Node
    {
        public Tensor X = null!, Y = null!;
        public float PosWeight;
        public override string Name => "BceWithLogits";

        internal override void Backward(Tape tape)
        {
            var x = X.Data;
            var y = Y.Data;
            var dx = X.RequiresGrad ? tape.GradOf(X).Data : default;
            var dt = Y.RequiresGrad ? tape.GradOf(Y).Data : default;
            float scale = Output.Grad!.Data[0] / Math.Max(1, x.Length);
            for (int i = 0; i < x.Length; i++)
            {
                // d/dx [pw y softplus(-x) + (1 - y) softplus(x)] = -pw y (1 - s) + (1 - y) s
                float s = ActivationFunctions.Sigmoid.Invoke(x[i]);
                if (!dx.IsEmpty) dx[i] += scale * (-PosWeight * y[i] * (1f - s) + (1f - y[i]) * s);
                // d/dy = pw softplus(-x) - softplus(x)
                if (!dt.IsEmpty) dt[i] += scale * (float)(PosWeight * Softplus(-x[i]) - Softplus(x[i]));
            }
        }
    }

    private sealed class CrossEntropyNode : Node
    {
        public Tensor LogP = null!;
        public int[] Targets = null!;
        public float[]? Weights;
        public float Smoothing, WeightSum;
        public override string Name => "CrossEntropy";

        internal override void Backward(Tape tape)
        {
            int n = LogP.Shape[0], c = LogP.Shape[1];
            var dlp = tape.GradOf(LogP).Data;
            float g = Output.Grad!.Data[0] / WeightSum;
            for (int i = 0; i < n; i++)
            {
                int t = Targets[i];
                dlp[i * c + t] -= g * (1 - Smoothing) * (Weights?[t] ?? 1f);
                if (Smoothing != 0)
                    for (int k = 0; k < c; k++) dlp[i * c + k] -= g * Smoothing / c * (Weights?[k] ?? 1f);
            }
        }
    }

    private sealed class RegressionNode : Node
    {
        public Tensor P = null!, T = null!;
        public RegressionKind Kind;
        public float Delta;
        public override string Name => RegressionNames[(int)Kind];

        internal override void Backward(Tape tape)
        {
            var p = P.Data;
            var t = T.Data;
            float scale = Output.Grad!.Data[0] / Math.Max(1, p.Length);
            var dp = P.RequiresGrad ? tape.GradOf(P).Data : default;
            var dt = T.RequiresGrad ? tape.GradOf(T).Data : default;
            for (int i = 0; i < p.Length; i++)
            {
                float d = p[i] - t[i];
                float g = Kind switch
                {
                    RegressionKind.Mse => 2 * d,
                    RegressionKind.L1 => Math.Sign(d),
                    _ => Math.Abs(d) < Delta ? d : Delta * Math.Sign(d),
                } * scale;
                if (!dp.IsEmpty) dp[i] += g;
                if (!dt.IsEmpty) dt[i] -= g;
            }
        }
    }
}
