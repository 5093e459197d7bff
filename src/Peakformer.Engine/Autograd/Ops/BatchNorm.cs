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
        // Channels are independent: with several threads each takes a run of channels (the same sums per channel,
        // so the bits do not depend on the thread count). Small inputs stay on the calling thread.
        int parts = ChannelParts(channels, (long)count * channels);
        if (parts == 1) NormaliseChannels(x, y, weight, bias, runningMean, runningVar, stats, so, training, momentum, eps, 0, channels);
        else
        {
            var job = _batchNormJob ??= new BatchNormJob();
            job.Forward(x, y, weight, bias, runningMean, runningVar, stats, so, training, momentum, eps);
            Threading.WorkerPool.Shared.Run(job, parts);
            job.Clear();
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

    /// <summary>Channels [first, end) of the forward pass; stats[so + c] = mean, stats[so + C + c] = 1 / sqrt(var + eps).</summary>
    private static void NormaliseChannels(Tensor x, Tensor y, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar,
        float[] stats, int so, bool training, float momentum, float eps, int first, int end)
    {
        int batch = x.Shape[0], channels = x.Shape[1], length = x.Shape.Rank == 3 ? x.Shape[2] : 1, count = batch * length;
        var xd = x.Data;
        var yd = y.Data;
        var mean = stats.AsSpan(so, channels);
        var invStd = stats.AsSpan(so + channels, channels);
        for (int c = first; c < end; c++)
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
    }

    /// <summary>Parts for a per-channel pass over <paramref name="values"/> values: one per thread from 64K values on, at most one per channel.</summary>
    private static int ChannelParts(int channels, long values) =>
        values < 1 << 16 ? 1 : Math.Max(1, Math.Min(Threading.WorkerPool.Shared.Threads, channels));

    [ThreadStatic] private static BatchNormJob? _batchNormJob;

    /// <summary>A run of channels of the forward or the backward pass per part.</summary>
    private sealed class BatchNormJob : Threading.IParallelJob
    {
        private Tensor? _x, _y, _weight, _bias, _runningMean, _runningVar;
        private float[]? _stats;
        private int _so;
        private bool _training;
        private float _momentum, _eps;
        private BatchNormNode? _node;
        private Tape? _tape;
        private Tensor? _dx;
        private bool _accumulate;
        private float[]? _rows;
        private int _ro;

        public void Forward(Tensor x, Tensor y, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, float[] stats, int so, bool training, float momentum, float eps)
        {
            (_x, _y, _weight, _bias, _runningMean, _runningVar, _stats, _so) = (x, y, weight, bias, runningMean, runningVar, stats, so);
            (_training, _momentum, _eps, _node) = (training, momentum, eps, null);
        }

        public void Backward(BatchNormNode node, Tape tape, Tensor? dx, bool accumulate, float[] rows, int ro) =>
            (_node, _tape, _dx, _accumulate, _rows, _ro) = (node, tape, dx, accumulate, rows, ro);

        public void Clear() => (_x, _y, _weight, _bias, _runningMean, _runningVar, _stats, _node, _tape, _dx, _rows) =
            (null, null, null, null, null, null, null, null, null, null, null);

        public void Execute(int part, int parts)
        {
            int channels = (_node?.X ?? _x)!.Shape[1], first = channels * part / parts, end = channels * (part + 1) / parts;
            if (_node is null) NormaliseChannels(_x!, _y!, _weight!, _bias!, _runningMean!, _runningVar!, _stats!, _so, _training, _momentum, _eps, first, end);
            else
            {
                int length = _node.X.Shape.Rank == 3 ? _node.X.Shape[2] : 1;
                _node.BackwardChannels(_tape!, _dx, _accumulate, _rows.AsSpan(_ro + part * length, length), first, end);
            }
        }
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
            var (dx, accumulate) = X.RequiresGrad ? tape.GradTarget(X) : (null, false);
            if (W.RequiresGrad) tape.GradOf(W);
            if (B.RequiresGrad) tape.GradOf(B);
            int parts = ChannelParts(channels, (long)batch * channels * length);
            var (tmp, to) = tape.Scratch(parts * length);
            if (parts == 1) BackwardChannels(tape, dx, accumulate, tmp.AsSpan(to, length), 0, channels);
            else
            {
                var job = _batchNormJob ??= new BatchNormJob();
                job.Backward(this, tape, dx, accumulate, tmp, to);
                Threading.WorkerPool.Shared.Run(job, parts);
                job.Clear();
            }
        }

        /// <summary>Channels [first, end) of the backward pass; <paramref name="row"/> is this part's scratch row.</summary>
        internal void BackwardChannels(Tape tape, Tensor? dx, bool accumulate, Span<float> row, int first, int end)
        {
            int batch = X.Shape[0], channels = X.Shape[1], length = X.Shape.Rank == 3 ? X.Shape[2] : 1;
            int count = batch * length;
            var xd = X.Data;
            var dy = Output.Grad!.Data;
            for (int c = first; c < end; c++)
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
