using Peakformer.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// Batch normalisation over channel axis 1 of x[B, C] or x[B, C, L] (PyTorch BatchNorm1d, affine):
    /// y[b, c, l] = (x[b, c, l] - mean[c]) / sqrt(var[c] + eps) weight[c] + bias[c].
    /// Training: mean and the biased variance over the B L values of each channel, and the running statistics move
    /// towards them (running_mean += momentum (mean - running_mean), running_var likewise towards the unbiased
    /// variance var N / (N - 1)), whether or not gradients are recorded, as in PyTorch. Evaluation: the running
    /// statistics, left unchanged.
    /// </summary>
    public static Tensor BatchNorm(Tape tape, Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
        bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        if (x.Shape.Rank is not (2 or 3))
            throw new ArgumentException($"BatchNorm: expected [batch, channels] or [batch, channels, length], got {x.Shape}.");
        int batch = x.Shape[0], channels = x.Shape[1], length = x.Shape.Rank == 3 ? x.Shape[2] : 1;
        PerChannel(weight, "weight");
        PerChannel(bias, "bias");
        PerChannel(runningMean, "running_mean");
        PerChannel(runningVar, "running_var");
        void PerChannel(Tensor t, string what)
        {
            if (t.Shape.Rank != 1 || t.Shape[0] != channels)
                throw new ArgumentException($"BatchNorm: {what} {t.Shape} does not match {channels} channels of input {x.Shape}.");
        }
        int count = batch * length;
        if (training && count < 2)
            throw new ArgumentException($"BatchNorm: training needs more than one value per channel, input {x.Shape} has {count}.");
        var y = tape.Empty(x.Shape);
        // stats[c] = mean, stats[C + c] = 1 / sqrt(var + eps): what backward needs.
        var (stats, so) = tape.Scratch(2 * channels);
        var mean = stats.AsSpan(so, channels);
        var invStd = stats.AsSpan(so + channels, channels);
        var xd = x.Data;
        var yd = y.Data;
        for (int c = 0; c < channels; c++)
        {
            float m, inv;
            if (training)
            {
                double sum = 0;
                for (int b = 0; b < batch; b++) sum += TensorPrimitives.Sum(xd.Slice((b * channels + c) * length, length));
                m = (float)(sum / count);
                // Two passes: y holds x - mean, whose squares give the variance without cancellation.
                double squares = 0;
                for (int b = 0; b < batch; b++)
                {
                    var row = yd.Slice((b * channels + c) * length, length);
                    TensorPrimitives.Subtract(xd.Slice((b * channels + c) * length, length), m, row);
                    squares += TensorPrimitives.SumOfSquares(row);
                }
                double variance = squares / count;
                inv = (float)(1.0 / Math.Sqrt(variance + eps));
                runningMean.Data[c] = (1 - momentum) * runningMean.Data[c] + momentum * m;
                runningVar.Data[c] = (1 - momentum) * runningVar.Data[c] + momentum * (float)(variance * count / (count - 1));
                float scale = inv * weight.Data[c], shift = bias.Data[c];
                for (int b = 0; b < batch; b++)
                {
                    var row = yd.Slice((b * channels + c) * length, length);
                    Affine(row, scale, shift, row);
                }
            }
            else
            {
                m = runningMean.Data[c];
                inv = (float)(1.0 / Math.Sqrt(runningVar.Data[c] + (double)eps));
                float scale = inv * weight.Data[c], shift = bias.Data[c] - m * scale;
                for (int b = 0; b < batch; b++)
                    Affine(xd.Slice((b * channels + c) * length, length), scale, shift, yd.Slice((b * channels + c) * length, length));
            }
            mean[c] = m;
            invStd[c] = inv;
        }
        if (tape.Wants(x, weight, bias))
        {
            var node = tape.Record<BatchNormNode>(y);
            node.X = x;
            node.W = weight;
            node.B = bias;
            node.Stats = stats;
            node.StatsOffset = so;
            node.Training = training;
        }
        return tape.Produced(y, "BatchNorm");
    }

    /// <summary>y = x scale + shift.</summary>
    private static void Affine(ReadOnlySpan<float> x, float scale, float shift, Span<float> y)
    {
        TensorPrimitives.Multiply(x, scale, y);
        TensorPrimitives.Add(y, shift, y);
    }

    private sealed class BatchNormNode : Node
    {
        public Tensor X = null!, W = null!, B = null!;
        public float[] Stats = null!;
        public int StatsOffset;
        public bool Training;
        public override string Name => "BatchNorm";

        // With xc = x - mean, S1 = sum dy, S2 = sum dy xc over a channel's N values:
        // dbias = S1, dweight = S2 invstd, and in training (mean and variance depend on x)
        // dx = weight invstd (dy - S1 / N - xc invstd^2 S2 / N) = A dy + Bx x + C; in evaluation dx = A dy.
        internal override void Backward(Tape tape)
        {
            int batch = X.Shape[0], channels = X.Shape[1], length = X.Shape.Rank == 3 ? X.Shape[2] : 1;
            int count = batch * length;
            var xd = X.Data;
            var dy = Output.Grad!.Data;
            var (dx, accumulate) = X.RequiresGrad ? tape.GradTarget(X) : (null, false);
            var (tmp, to) = tape.Scratch(length);
            var row = tmp.AsSpan(to, length);
            for (int c = 0; c < channels; c++)
            {
                float m = Stats[StatsOffset + c], inv = Stats[StatsOffset + channels + c];
                double s1 = 0, dyx = 0;
                for (int b = 0; b < batch; b++)
                {
                    int at = (b * channels + c) * length;
                    s1 += TensorPrimitives.Sum(dy.Slice(at, length));
                    dyx += TensorPrimitives.Dot(dy.Slice(at, length), xd.Slice(at, length));
                }
                double s2 = dyx - m * s1;
                if (W.RequiresGrad) tape.GradOf(W).Data[c] += (float)(s2 * inv);
                if (B.RequiresGrad) tape.GradOf(B).Data[c] += (float)s1;
                if (dx is null) continue;
                float a = inv * W.Data[c];
                float bx = Training ? (float)(-a * (double)inv * inv * s2 / count) : 0f;
                float constant = Training ? (float)(-a * s1 / count - bx * (double)m) : 0f;
                for (int b = 0; b < batch; b++)
                {
                    int at = (b * channels + c) * length;
                    var target = dx.Data.Slice(at, length);
                    if (!accumulate)
                    {
                        Affine(xd.Slice(at, length), bx, constant, target);
                        TensorPrimitives.MultiplyAdd(dy.Slice(at, length), a, target, target);
                    }
                    else
                    {
                        Affine(xd.Slice(at, length), bx, constant, row);
                        TensorPrimitives.MultiplyAdd(dy.Slice(at, length), a, row, row);
                        TensorPrimitives.Add(target, row, target);
                    }
                }
            }
        }
    }
}
