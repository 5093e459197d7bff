using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// 1D convolution (cross-correlation, as PyTorch): x[B, Cin, L], weight[Cout, Cin, K], bias[Cout] → [B, Cout, Lout]
    /// with Lout = floor((L + 2 padding - dilation (K - 1) - 1) / stride) + 1. The whole batch is one matrix multiply:
    /// columns[Cin K, B Lout] (im2col of every sample side by side, kept for backward), Y[Cout, B Lout] = W columns,
    /// then Y is laid out as [B, Cout, Lout] with the bias added. One product over B Lout columns keeps the packed
    /// kernel busy where a product per sample (Lout columns, Cin K deep) is mostly packing. The plain loops of
    /// <see cref="Conv1dReference"/> are the reference the tests hold it to.
    /// </summary>
    public static Tensor Conv1d(Tape tape, Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int dilation = 1)
    {
        if (x.Shape.Rank != 3 || weight.Shape.Rank != 3 || x.Shape[1] != weight.Shape[1])
            throw new ArgumentException($"Conv1d: input {x.Shape} and weight {weight.Shape} disagree (expected [batch, {(weight.Shape.Rank == 3 ? weight.Shape[1] : -1)}, length]).");
        if (stride < 1 || padding < 0 || dilation < 1)
            throw new ArgumentException($"Conv1d: stride {stride} and dilation {dilation} must be at least 1, padding {padding} non-negative.");
        int cout = weight.Shape[0], k = weight.Shape[2];
        if (bias is not null && (bias.Shape.Rank != 1 || bias.Shape[0] != cout))
            throw new ArgumentException($"Conv1d: bias {bias.Shape} does not match {cout} output channels.");
        var g = new ConvGeometry(x.Shape[0], x.Shape[1], x.Shape[2], cout, k, stride, padding, dilation);
        if (g.OutLength <= 0)
            throw new ArgumentException($"Conv1d: input length {g.Length} is too short for kernel {k} (dilation {dilation}, padding {padding}).");
        var y = tape.Empty(new Shape(g.Batch, cout, g.OutLength));
        var (col, co) = tape.Scratch(g.ColumnSize + g.OutputSize * g.Batch);
        var columns = col.AsSpan(co, g.ColumnSize);
        var product = col.AsSpan(co + g.ColumnSize, g.OutputSize * g.Batch);
        for (int n = 0; n < g.Batch; n++) g.Im2Col(x.Data.Slice(n * g.InputSize, g.InputSize), columns, n);
        Gemm.Multiply(false, false, cout, g.Columns, g.Rows, weight.Data, g.Rows, columns, g.Columns, product, g.Columns);
        // y[n, c, :] = product[c, n Lout : (n + 1) Lout] + bias[c]
        for (int n = 0; n < g.Batch; n++)
            for (int c = 0; c < cout; c++)
            {
                var src = product.Slice(c * g.Columns + n * g.OutLength, g.OutLength);
                var dst = y.Data.Slice(n * g.OutputSize + c * g.OutLength, g.OutLength);
                if (bias is null) src.CopyTo(dst);
                else TensorPrimitives.Add(src, bias.Data[c], dst);
            }
        if (tape.Wants(x, weight, bias))
        {
            var node = tape.Record<Conv1dNode>(y);
            node.X = x;
            node.W = weight;
            node.B = bias;
            node.Geometry = g;
            node.Columns = col;
            node.ColumnsOffset = co;
        }
        return tape.Produced(y, "Conv1d");
    }

    internal readonly record struct ConvGeometry(int Batch, int Channels, int Length, int OutChannels, int Kernel, int Stride, int Padding, int Dilation)
    {
        public int OutLength => (Length + 2 * Padding - Dilation * (Kernel - 1) - 1) / Stride + 1;
        public int Rows => Channels * Kernel;
        /// <summary>Columns of the batched matrices: every sample's output positions side by side.</summary>
        public int Columns => Batch * OutLength;
        public int ColumnSize => Rows * Columns;
        public int InputSize => Channels * Length;
        public int OutputSize => OutChannels * OutLength;

        /// <summary>The output positions t whose input position t stride + shift lies inside the signal: [first, end).</summary>
        private (int First, int End) Inside(int shift)
        {
            int first = shift >= 0 ? 0 : Math.Min(OutLength, (-shift + Stride - 1) / Stride);
            int end = Length - 1 - shift < 0 ? 0 : Math.Min(OutLength, (Length - 1 - shift) / Stride + 1);
            return (first, Math.Max(first, end));
        }

        // columns[(c K + k), n Lout + t] = x_n[c, t stride - padding + k dilation], zero outside the signal.
        public void Im2Col(ReadOnlySpan<float> x, Span<float> columns, int sample)
        {
            int lout = OutLength;
            for (int c = 0; c < Channels; c++)
            {
                var signal = x.Slice(c * Length, Length);
                for (int k = 0; k < Kernel; k++)
                {
                    var dst = columns.Slice((c * Kernel + k) * Columns + sample * lout, lout);
                    int shift = k * Dilation - Padding;
                    var (first, end) = Inside(shift);
                    dst[..first].Clear();
                    dst[end..].Clear();
                    if (Stride == 1) signal.Slice(first + shift, end - first).CopyTo(dst[first..end]);
                    else for (int t = first; t < end; t++) dst[t] = signal[t * Stride + shift];
                }
            }
        }

        // dx_n[c, t stride - padding + k dilation] += dcolumns[(c K + k), n Lout + t]
        public void Col2ImAdd(ReadOnlySpan<float> columns, Span<float> dx, int sample)
        {
            int lout = OutLength;
            for (int c = 0; c < Channels; c++)
            {
                var signal = dx.Slice(c * Length, Length);
                for (int k = 0; k < Kernel; k++)
                {
                    var src = columns.Slice((c * Kernel + k) * Columns + sample * lout, lout);
                    int shift = k * Dilation - Padding;
                    var (first, end) = Inside(shift);
                    if (Stride == 1)
                    {
                        var target = signal.Slice(first + shift, end - first);
                        TensorPrimitives.Add(target, src[first..end], target);
                    }
                    else for (int t = first; t < end; t++) signal[t * Stride + shift] += src[t];
                }
            }
        }
    }

    private sealed class Conv1dNode : Node
    {
        public Tensor X = null!, W = null!;
        public Tensor? B;
        public ConvGeometry Geometry;
        public float[] Columns = null!;
        public int ColumnsOffset;
        public override string Name => "Conv1d";

        internal override void Backward(Tape tape)
        {
            var g = Geometry;
            var columns = Columns.AsSpan(ColumnsOffset, g.ColumnSize);
            var (scratch, so) = tape.Scratch(g.OutputSize * g.Batch + (X.RequiresGrad ? g.ColumnSize : 0));
            // dproduct[c, n Lout + t] = dy[n, c, t]: the output gradient in the product's layout.
            var dProduct = scratch.AsSpan(so, g.OutputSize * g.Batch);
            var dy = Output.Grad!.Data;
            for (int n = 0; n < g.Batch; n++)
                for (int c = 0; c < g.OutChannels; c++)
                    dy.Slice(n * g.OutputSize + c * g.OutLength, g.OutLength).CopyTo(dProduct.Slice(c * g.Columns + n * g.OutLength, g.OutLength));
            if (W.RequiresGrad)
            {
                // dW[Cout, Cin K] += dproduct[Cout, B Lout] columns^T
                Gemm.Multiply(false, true, g.OutChannels, g.Rows, g.Columns, dProduct, g.Columns, columns, g.Columns, tape.GradOf(W).Data, g.Rows, accumulate: true);
            }
            if (X.RequiresGrad)
            {
                // dcolumns[Cin K, B Lout] = W^T dproduct, then folded back onto each sample's signal.
                var dColumns = scratch.AsSpan(so + g.OutputSize * g.Batch, g.ColumnSize);
                Gemm.Multiply(true, false, g.Rows, g.Columns, g.OutChannels, W.Data, g.Rows, dProduct, g.Columns, dColumns, g.Columns);
                var dx = tape.GradOf(X).Data;
                for (int n = 0; n < g.Batch; n++) g.Col2ImAdd(dColumns, dx.Slice(n * g.InputSize, g.InputSize), n);
            }
            if (B is { RequiresGrad: true })
            {
                var db = tape.GradOf(B).Data;
                for (int c = 0; c < g.OutChannels; c++) db[c] += Elementwise.Sum(dProduct.Slice(c * g.Columns, g.Columns));
            }
        }
    }
}
