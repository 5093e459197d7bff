using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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
    /// ReLU then max pooling without padding, in one pass: y = max(0, max of the window) (ReLU and max commute).
    /// The gradient goes to the window's first maximum when it is positive and nowhere otherwise, as ReLU's zero
    /// gradient at x &lt;= 0 makes it in PyTorch's MaxPool1d(ReLU(x)).
    /// </summary>
    public static Tensor ReluMaxPool1d(Tape tape, Tensor x, int kernel, int? stride = null)
    {
        int s = stride ?? kernel;
        if (x.Shape.Rank != 3) throw new ArgumentException($"ReluMaxPool1d: expected [batch, channels, length], got {x.Shape}.");
        if (kernel < 1 || s < 1) throw new ArgumentException($"ReluMaxPool1d: kernel {kernel} and stride {s} must be at least 1.");
        int rows = x.Shape[0] * x.Shape[1], length = x.Shape[2];
        int outLength = (length - kernel) / s + 1;
        if (length < kernel) throw new ArgumentException($"ReluMaxPool1d: input length {length} is shorter than kernel {kernel}.");
        var y = tape.Empty(new Shape(x.Shape[0], x.Shape[1], outLength));
        var (argmax, ao) = tape.Scratch(rows * outLength);
        var where = argmax.AsSpan(ao, rows * outLength);
        MaxPoolInside(x.Data, y.Data, where, rows, length, outLength, kernel, s);
        ReluAfterPool(y.Data, where);
        if (tape.Wants(x))
        {
            var node = tape.Record<Pool1dNode>(y);
            node.X = x;
            node.Kernel = kernel;
            node.Stride = s;
            node.Padding = 0;
            node.Max = true;
            node.Argmax = argmax;
            node.ArgmaxOffset = ao;
        }
        return tape.Produced(y, "ReluMaxPool1d");
    }

    /// <summary>
    /// Max pooling without padding (every window inside the signal): the same first-maximum rule as the general loop,
    /// without its per-element bounds tests and, for windows of two, without branches (random data mispredicts half
    /// of them): <see cref="PairMax"/>.
    /// </summary>
    private static void MaxPoolInside(ReadOnlySpan<float> x, Span<float> y, Span<float> argmax, int rows, int length, int outLength, int kernel, int stride)
    {
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * length, length);
            var outRow = y.Slice(r * outLength, outLength);
            var whereRow = argmax.Slice(r * outLength, outLength);
            if (kernel == 2 && stride == 2)
            {
                PairMax(row, outRow, whereRow);
                continue;
            }
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

    /// <summary>y[t] = max(x[2t], x[2t + 1]), where[t] = the index of the first maximum (as a float).</summary>
    private static void PairMax(ReadOnlySpan<float> x, Span<float> y, Span<float> where)
    {
        int t = 0;
        if (Kernels.KernelSettings.Variant != Kernels.KernelVariant.Reference && Sse41.IsSupported)
        {
            ref float src = ref MemoryMarshal.GetReference(x);
            var step = Vector128.Create(8f);
            var index = Vector128.Create(0f, 2f, 4f, 6f);
            var one = Vector128.Create(1f);
            for (; t + 4 <= y.Length; t += 4)
            {
                var a = Vector128.LoadUnsafe(ref src, (nuint)(2 * t));
                var b = Vector128.LoadUnsafe(ref src, (nuint)(2 * t + 4));
                var even = Sse.Shuffle(a, b, 0b10_00_10_00);
                var odd = Sse.Shuffle(a, b, 0b11_01_11_01);
                var second = Sse.CompareGreaterThan(odd, even);
                Sse41.BlendVariable(even, odd, second).CopyTo(y.Slice(t, 4));
                (index + (second & one)).CopyTo(where.Slice(t, 4));
                index += step;
            }
        }
        for (; t < y.Length; t++)
        {
            float a = x[2 * t], b = x[2 * t + 1];
            bool second = b > a;
            y[t] = second ? b : a;
            where[t] = 2 * t + (second ? 1 : 0);
        }
    }

    /// <summary>ReLU after the pool: y = max(y, 0); where = -1 (no gradient) where the window held nothing positive.</summary>
    private static void ReluAfterPool(Span<float> y, Span<float> where)
    {
        int i = 0;
        if (Kernels.KernelSettings.Variant != Kernels.KernelVariant.Reference && Vector128.IsHardwareAccelerated)
        {
            var none = Vector128.Create(-1f);
            for (; i + 4 <= y.Length; i += 4)
            {
                var v = Vector128.Create<float>(y.Slice(i, 4));
                var positive = Vector128.GreaterThan(v, Vector128<float>.Zero);
                (v & positive).CopyTo(y.Slice(i, 4));
                Vector128.ConditionalSelect(positive, Vector128.Create<float>(where.Slice(i, 4)), none).CopyTo(where.Slice(i, 4));
            }
        }
        for (; i < y.Length; i++)
            if (!(y[i] > 0)) { y[i] = 0; where[i] = -1; }
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
                        // -1: no gradient (the fused ReLU's window held nothing positive); without a branch, which
                        // random data would mispredict: index 0 of the row gets g times 0.
                        int at = (int)Argmax[ArgmaxOffset + r * outLength + t];
                        dx[r * length + (at & ~(at >> 31))] += g * (float)((uint)~at >> 31);
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
