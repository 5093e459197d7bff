using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// 1D convolution (cross-correlation, as PyTorch): x[B, Cin, L], weight[Cout, Cin, K], bias[Cout] → [B, Cout, Lout]
    /// with Lout = floor((L + 2 padding - dilation (K - 1) - 1) / stride) + 1. Computed as im2col + matrix multiply;
    /// the columns are rebuilt in backward rather than stored.
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
        var (col, co) = tape.Scratch(g.ColumnSize);
        var columns = col.AsSpan(co, g.ColumnSize);
        for (int n = 0; n < g.Batch; n++)
        {
            g.Im2Col(x.Data.Slice(n * g.InputSize, g.InputSize), columns);
            var yn = y.Data.Slice(n * g.OutputSize, g.OutputSize);
            Gemm.Multiply(false, false, cout, g.OutLength, g.Rows, weight.Data, g.Rows, columns, g.OutLength, yn, g.OutLength);
            if (bias is not null)
                for (int c = 0; c < cout; c++)
                {
                    var row = yn.Slice(c * g.OutLength, g.OutLength);
                    float bc = bias.Data[c];
                    for (int t = 0; t < row.Length; t++) row[t] += bc;
                }
        }
        if (tape.Wants(x, weight, bias))
        {
            var node = tape.Record<Conv1dNode>(y);
            node.X = x;
            node.W = weight;
            node.B = bias;
            node.Geometry = g;
        }
        return tape.Produced(y, "Conv1d");
    }

    internal readonly record struct ConvGeometry(int Batch, int Channels, int Length, int OutChannels, int Kernel, int Stride, int Padding, int Dilation)
    {
        public int OutLength => (Length + 2 * Padding - Dilation * (Kernel - 1) - 1) / Stride + 1;
        public int Rows => Channels * Kernel;
        public int ColumnSize => Rows * OutLength;
        public int InputSize => Channels * Length;
        public int OutputSize => OutChannels * OutLength;

        // columns[(c K + k), t] = x[c, t stride - padding + k dilation], zero outside the signal.
        public void Im2Col(ReadOnlySpan<float> x, Span<float> columns)
        {
            int lout = OutLength;
            for (int c = 0; c < Channels; c++)
                for (int k = 0; k < Kernel; k++)
                {
                    var dst = columns.Slice((c * Kernel + k) * lout, lout);
                    int shift = k * Dilation - Padding;
                    for (int t = 0; t < lout; t++)
                    {
                        int src = t * Stride + shift;
                        dst[t] = (uint)src < (uint)Length ? x[c * Length + src] : 0f;
                    }
                }
        }

        // dx[c, t stride - padding + k dilation] += dcolumns[(c K + k), t]
        public void Col2ImAdd(ReadOnlySpan<float> columns, Span<float> dx)
        {
            int lout = OutLength;
            for (int c = 0; c < Channels; c++)
                for (int k = 0; k < Kernel; k++)
                {
                    var src = columns.Slice((c * Kernel + k) * lout, lout);
                    int shift = k * Dilation - Padding;
                    for (int t = 0; t < lout; t++)
                    {
                        int dst = t * Stride + shift;
                        if ((uint)dst < (uint)Length) dx[c * Length + dst] += src[t];
                    }
                }
        }
    }

    private sealed class Conv1dNode : Node
    {
        public Tensor X = null!, W = null!;
        public Tensor? B;
        public ConvGeometry Geometry;
        public override string Name => "Conv1d";

        internal override void Backward(Tape tape)
        {
            var g = Geometry;
            var (col, co) = tape.Scratch(2 * g.ColumnSize);
            var columns = col.AsSpan(co, g.ColumnSize);
            var dColumns = col.AsSpan(co + g.ColumnSize, g.ColumnSize);
            var dy = Output.Grad!.Data;
            for (int n = 0; n < g.Batch; n++)
            {
                var dyn = dy.Slice(n * g.OutputSize, g.OutputSize);
                if (W.RequiresGrad)
                {
                    g.Im2Col(X.Data.Slice(n * g.InputSize, g.InputSize), columns);
                    // dW[Cout, Cin K] += dY[Cout, Lout] columns^T
                    Gemm.Multiply(false, true, g.OutChannels, g.Rows, g.OutLength, dyn, g.OutLength, columns, g.OutLength, tape.GradOf(W).Data, g.Rows, accumulate: true);
                }
                if (X.RequiresGrad)
                {
                    // dcolumns[Cin K, Lout] = W^T dY
                    Gemm.Multiply(true, false, g.Rows, g.OutLength, g.OutChannels, W.Data, g.Rows, dyn, g.OutLength, dColumns, g.OutLength);
                    g.Col2ImAdd(dColumns, tape.GradOf(X).Data.Slice(n * g.InputSize, g.InputSize));
                }
                if (B is { RequiresGrad: true })
                {
                    var db = tape.GradOf(B).Data;
                    for (int c = 0; c < g.OutChannels; c++) db[c] += Elementwise.Sum(dyn.Slice(c * g.OutLength, g.OutLength));
                }
            }
        }
    }
}
