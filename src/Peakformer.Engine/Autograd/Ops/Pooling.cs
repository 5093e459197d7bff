using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>Max pooling over the last axis of x[B, C, L] (PyTorch MaxPool1d; padded positions never win).</summary>
    public static Tensor MaxPool1d(Tape tape, Tensor x, int kernel, int? stride = null, int padding = 0) =>
        Pool1d(tape, x, kernel, stride ?? kernel, padding, max: true);

    /// <summary>Average pooling over the last axis of x[B, C, L] (PyTorch AvgPool1d, padding counted in the average).</summary>
    public static Tensor AvgPool1d(Tape tape, Tensor x, int kernel, int? stride = null, int padding = 0) =>
        Pool1d(tape, x, kernel, stride ?? kernel, padding, max: false);

    private static Tensor Pool1d(Tape tape, Tensor x, int kernel, int stride, int padding, bool max)
    {
        string name = max ? "MaxPool1d" : "AvgPool1d";
        if (x.Shape.Rank != 3) throw new ArgumentException($"{name}: expected [batch, channels, length], got {x.Shape}.");
        if (kernel < 1 || stride < 1 || padding < 0 || padding > kernel / 2)
            throw new ArgumentException($"{name}: kernel {kernel}, stride {stride}, padding {padding} invalid (padding at most half the kernel).");
        int rows = x.Shape[0] * x.Shape[1], length = x.Shape[2];
        int outLength = (length + 2 * padding - kernel) / stride + 1;
        if (outLength <= 0) throw new ArgumentException($"{name}: input length {length} is shorter than kernel {kernel}.");
        var y = tape.Empty(new Shape(x.Shape[0], x.Shape[1], outLength));
        var (argmax, ao) = max ? tape.Scratch(rows * outLength) : (Array.Empty<float>(), 0);
        var xd = x.Data;
        var yd = y.Data;
        if (max && padding == 0) MaxPoolInside(xd, yd, argmax.AsSpan(ao, rows * outLength), rows, length, outLength, kernel, stride);
        else for (int r = 0; r < rows; r++)
            for (int t = 0; t < outLength; t++)
            {
                int start = t * stride - padding;
                if (max)
                {
                    float best = float.NegativeInfinity;
                    int where = Math.Max(0, start);
                    for (int k = 0; k < kernel; k++)
                    {
                        int s = start + k;
                        if ((uint)s < (uint)length && xd[r * length + s] > best) { best = xd[r * length + s]; where = s; }
                    }
                    yd[r * outLength + t] = best;
                    argmax[ao + r * outLength + t] = where;
                }
                else
                {
                    float sum = 0;
                    for (int k = 0; k < kernel; k++)
                    {
                        int s = start + k;
                        if ((uint)s < (uint)length) sum += xd[r * length + s];
                    }
                    yd[r * outLength + t] = sum / kernel;
                }
            }
        if (tape.Wants(x))
        {
            var node = tape.Record<Pool1dNode>(y);
            node.X = x;
            node.Kernel = kernel;
            node.Stride = stride;
            node.Padding = padding;
            node.Max = max;
            node.Argmax = argmax;
            node.ArgmaxOffset = ao;
        }
        return tape.Produced(y, name);
    }

    /// <summary>
    /// Max pooling without padding (every window inside the signal): the same first-maximum rule as the general loop,
    /// without its per-element bounds tests.
    /// </summary>
    private static void MaxPoolInside(ReadOnlySpan<float> x, Span<float> y, Span<float> argmax, int rows, int length, int outLength, int kernel, int stride)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * length, length);
            var outRow = y.Slice(r * outLength, outLength);
            var whereRow = argmax.Slice(r * outLength, outLength);
            for (int t = 0; t < outRow.Length; t++)
            {
                int start = t * stride;
                var window = row.Slice(start, kernel);
                float best = window[0];
                int where = 0;
                for (int k = 1; k < window.Length; k++)
                    if (window[k] > best) { best = window[k]; where = k; }
                outRow[t] = best;
                whereRow[t] = start + where;
            }
        }
    }

    private sealed class Pool1dNode : Node
    {
        public Tensor X = null!;
        public int Kernel, Stride, Padding, ArgmaxOffset;
        public bool Max;
        public float[] Argmax = null!;
        public override string Name => Max ? "MaxPool1d" : "AvgPool1d";

        internal override void Backward(Tape tape)
        {
            int length = X.Shape[2], outLength = Output.Shape[2], rows = X.Shape[0] * X.Shape[1];
            var dy = Output.Grad!.Data;
            var dx = tape.GradOf(X).Data;
            for (int r = 0; r < rows; r++)
                for (int t = 0; t < outLength; t++)
                {
                    float g = dy[r * outLength + t];
                    if (Max)
                    {
                        dx[r * length + (int)Argmax[ArgmaxOffset + r * outLength + t]] += g;
                        continue;
                    }
                    int start = t * Stride - Padding;
                    for (int k = 0; k < Kernel; k++)
                    {
                        int s = start + k;
                        if ((uint)s < (uint)length) dx[r * length + s] += g / Kernel;
                    }
                }
        }
    }
}
