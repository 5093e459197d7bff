using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Threading;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// 1D convolution (cross-correlation, as PyTorch): x[B, Cin, L], weight[Cout, Cin, K], bias[Cout] → [B, Cout, Lout]
    /// with Lout = floor((L + 2 padding - dilation (K - 1) - 1) / stride) + 1. Samples go through in chunks: the im2col
    /// columns of a chunk's samples side by side, columns[Cin K, n Lout], one packed product Y[Cout, n Lout] = W columns,
    /// then Y laid out as [B, Cout, Lout] with the bias added. A chunk is as many samples as keep the columns in cache
    /// (<see cref="ColumnBudget"/>); the backward pass rebuilds them chunk by chunk. The plain loops of
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
        // Chunks are independent: with several threads each takes a run of chunks and its own scratch, one dispatch
        // per layer instead of a product split for every chunk (small products cost more to split than to compute).
        // A chunk's product is the same whoever computes it (products split by output), so the bits do not change.
        int parts = g.Parts(WorkerPool.Shared);
        var (col, co) = tape.Scratch(parts * g.ForwardScratch);
        if (parts == 1) ConvolveChunks(g, x, weight, bias, y, col, co, 0, g.Chunks);
        else
        {
            var job = _forwardJob ??= new ConvForwardJob();
            job.Set(g, x, weight, bias, y, col, co);
            WorkerPool.Shared.Run(job, parts);
            job.Clear();
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

    [ThreadStatic] private static ConvForwardJob? _forwardJob;
    [ThreadStatic] private static ConvInputGradientJob? _inputGradientJob;

    /// <summary>Chunks [first, end) of the forward pass through the scratch at col[co..].</summary>
    private static void ConvolveChunks(ConvGeometry g, Tensor x, Tensor weight, Tensor? bias, Tensor y, float[] col, int co, int first, int end)
    {
        int cout = g.OutChannels;
        for (int i = first; i < end; i++)
        {
            int n0 = i * g.ChunkSamples, samples = Math.Min(g.ChunkSamples, g.Batch - n0), cols = samples * g.OutLength;
            var columns = col.AsSpan(co, g.Rows * cols);
            var product = col.AsSpan(co + g.Rows * cols, cout * cols);
            for (int n = 0; n < samples; n++) g.Im2Col(x.Data.Slice((n0 + n) * g.InputSize, g.InputSize), columns, cols, n * g.OutLength);
            Gemm.Multiply(false, false, cout, cols, g.Rows, weight.Data, g.Rows, columns, cols, product, cols);
            // y[n, c, :] = product[c, n Lout : (n + 1) Lout] + bias[c]
            for (int n = 0; n < samples; n++)
                for (int c = 0; c < cout; c++)
                {
                    var src = product.Slice(c * cols + n * g.OutLength, g.OutLength);
                    var dst = y.Data.Slice((n0 + n) * g.OutputSize + c * g.OutLength, g.OutLength);
                    if (bias is null) src.CopyTo(dst);
                    else TensorPrimitives.Add(src, bias.Data[c], dst);
                }
        }
    }

    /// <summary>dproduct[c, n Lout + t] = dy[n, c, t] for the chunk's samples: the output gradient in the product's layout.</summary>
    private static void ProductGradient(ConvGeometry g, ReadOnlySpan<float> dy, int n0, int samples, Span<float> dProduct)
    {
        int cols = samples * g.OutLength;
        for (int n = 0; n < samples; n++)
            for (int c = 0; c < g.OutChannels; c++)
                dy.Slice((n0 + n) * g.OutputSize + c * g.OutLength, g.OutLength).CopyTo(dProduct.Slice(c * cols + n * g.OutLength, g.OutLength));
    }

    /// <summary>Part p of the forward pass: a contiguous run of chunks, its own scratch.</summary>
    private sealed class ConvForwardJob : IParallelJob
    {
        private ConvGeometry _g;
        private Tensor? _x, _weight, _bias, _y;
        private float[]? _col;
        private int _co;

        public void Set(ConvGeometry g, Tensor x, Tensor weight, Tensor? bias, Tensor y, float[] col, int co) =>
            (_g, _x, _weight, _bias, _y, _col, _co) = (g, x, weight, bias, y, col, co);

        public void Clear() => (_x, _weight, _bias, _y, _col) = (null, null, null, null, null);

        public void Execute(int part, int parts) =>
            ConvolveChunks(_g, _x!, _weight!, _bias, _y!, _col!, _co + part * _g.ForwardScratch, _g.Chunks * part / parts, _g.Chunks * (part + 1) / parts);
    }

    /// <summary>Part p of the input gradient: dx of a contiguous run of chunks (their own samples), its own scratch.</summary>
    private sealed class ConvInputGradientJob : IParallelJob
    {
        private ConvGeometry _g;
        private Tensor? _w, _dy, _dx;
        private float[]? _scratch;
        private int _so;

        public void Set(ConvGeometry g, Tensor w, Tensor dy, Tensor dx, float[] scratch, int so) =>
            (_g, _w, _dy, _dx, _scratch, _so) = (g, w, dy, dx, scratch, so);

        public void Clear() => (_w, _dy, _dx, _scratch) = (null, null, null, null);

        public void Execute(int part, int parts)
        {
            var g = _g;
            int most = g.ChunkSamples * g.OutLength, at = _so + part * g.BackwardScratch;
            for (int i = g.Chunks * part / parts, end = g.Chunks * (part + 1) / parts; i < end; i++)
            {
                int n0 = i * g.ChunkSamples, samples = Math.Min(g.ChunkSamples, g.Batch - n0), cols = samples * g.OutLength;
                var dColumns = _scratch.AsSpan(at + g.Rows * most, g.Rows * cols);
                var dProduct = _scratch.AsSpan(at + 2 * g.Rows * most, g.OutChannels * cols);
                ProductGradient(g, _dy!.Data, n0, samples, dProduct);
                Gemm.Multiply(true, false, g.Rows, cols, g.OutChannels, _w!.Data, g.Rows, dProduct, cols, dColumns, cols);
                var dx = _dx!.Data;
                for (int n = 0; n < samples; n++) g.Col2ImAdd(dColumns, dx.Slice((n0 + n) * g.InputSize, g.InputSize), cols, n * g.OutLength);
            }
        }
    }

    /// <summary>
    /// Floats of im2col columns per product (256 KiB): see <see cref="ConvGeometry.ChunkSamples"/>. Measured on the
    /// spectrum CNN's training step (bench --suite spectra, one thread): 16K and 32K floats gave 1,500/s, 64K 1,850/s,
    /// 256K 1,370/s, the whole batch in one product 1,250/s.
    /// </summary>
    internal const int ColumnBudget = 65536;

    internal readonly record struct ConvGeometry(int Batch, int Channels, int Length, int OutChannels, int Kernel, int Stride, int Padding, int Dilation)
    {
        public int OutLength => (Length + 2 * Padding - Dilation * (Kernel - 1) - 1) / Stride + 1;
        public int Rows => Channels * Kernel;
        /// <summary>
        /// Samples whose columns go through one product: enough for a wide product, few enough that the columns
        /// (about <see cref="ColumnBudget"/> floats) stay in cache between im2col, the product and the backward pass.
        /// </summary>
        public int ChunkSamples => Math.Clamp(ColumnBudget / Math.Max(1, Rows * OutLength), 1, Math.Max(1, Batch));
        public int Chunks => (Batch + ChunkSamples - 1) / ChunkSamples;
        /// <summary>Floats of one part's forward scratch: a chunk's columns and product.</summary>
        public int ForwardScratch => (Rows + OutChannels) * ChunkSamples * OutLength;
        /// <summary>Floats of one part's backward scratch: a chunk's columns, their gradient and the product's.</summary>
        public int BackwardScratch => (2 * Rows + OutChannels) * ChunkSamples * OutLength;
        /// <summary>Parts the chunks are shared among: one per thread, at most one per chunk.</summary>
        public int Parts(WorkerPool pool) => Math.Max(1, Math.Min(pool.Threads, Chunks));
        public int InputSize => Channels * Length;
        public int OutputSize => OutChannels * OutLength;

        /// <summary>The output positions t whose input position t stride + shift lies inside the signal: [first, end).</summary>
        private (int First, int End) Inside(int shift)
        {
            int first = shift >= 0 ? 0 : Math.Min(OutLength, (-shift + Stride - 1) / Stride);
            int end = Length - 1 - shift < 0 ? 0 : Math.Min(OutLength, (Length - 1 - shift) / Stride + 1);
            return (first, Math.Max(first, end));
        }

        // columns[(c K + k), at + t] = x_n[c, t stride - padding + k dilation], zero outside the signal; rows ld apart.
        public void Im2Col(ReadOnlySpan<float> x, Span<float> columns, int ld, int at)
        {
            int lout = OutLength;
            for (int c = 0; c < Channels; c++)
            {
                var signal = x.Slice(c * Length, Length);
                for (int k = 0; k < Kernel; k++)
                {
                    var dst = columns.Slice((c * Kernel + k) * ld + at, lout);
                    int shift = k * Dilation - Padding;
                    var (first, end) = Inside(shift);
                    dst[..first].Clear();
                    dst[end..].Clear();
                    if (Stride == 1) signal.Slice(first + shift, end - first).CopyTo(dst[first..end]);
                    else for (int t = first; t < end; t++) dst[t] = signal[t * Stride + shift];
                }
            }
        }

        // dx_n[c, t stride - padding + k dilation] += dcolumns[(c K + k), at + t]
        public void Col2ImAdd(ReadOnlySpan<float> columns, Span<float> dx, int ld, int at)
        {
            int lout = OutLength;
            for (int c = 0; c < Channels; c++)
            {
                var signal = dx.Slice(c * Length, Length);
                for (int k = 0; k < Kernel; k++)
                {
                    var src = columns.Slice((c * Kernel + k) * ld + at, lout);
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
        public override string Name => "Conv1d";

        // Chunk by chunk as the forward: the columns are rebuilt (in cache) rather than kept (out of cache). With
        // several threads the input gradient (each chunk's own samples) goes first, chunks shared among the threads;
        // the weight and bias gradients, sums over every chunk, then run chunk by chunk in the one-thread order.
        internal override void Backward(Tape tape)
        {
            var g = Geometry;
            int chunk = g.ChunkSamples, most = chunk * g.OutLength;
            int parts = X.RequiresGrad ? g.Parts(WorkerPool.Shared) : 1;
            var (scratch, so) = tape.Scratch(parts * g.BackwardScratch);
            var dy = Output.Grad!.Data;
            var dw = W.RequiresGrad ? tape.GradOf(W).Data : default;
            var dx = X.RequiresGrad && parts == 1 ? tape.GradOf(X).Data : default;
            var db = B is { RequiresGrad: true } ? tape.GradOf(B).Data : default;
            if (parts > 1)
            {
                var job = _inputGradientJob ??= new ConvInputGradientJob();
                job.Set(g, W, Output.Grad!, tape.GradOf(X), scratch, so);
                WorkerPool.Shared.Run(job, parts);
                job.Clear();
                if (dw.IsEmpty && db.IsEmpty) return;
            }
            for (int n0 = 0; n0 < g.Batch; n0 += chunk)
            {
                int samples = Math.Min(chunk, g.Batch - n0), cols = samples * g.OutLength;
                var columns = scratch.AsSpan(so, g.Rows * cols);
                var dColumns = scratch.AsSpan(so + g.Rows * most, g.Rows * cols);
                var dProduct = scratch.AsSpan(so + 2 * g.Rows * most, g.OutChannels * cols);
                ProductGradient(g, dy, n0, samples, dProduct);
                if (!dw.IsEmpty)
                {
                    for (int n = 0; n < samples; n++) g.Im2Col(X.Data.Slice((n0 + n) * g.InputSize, g.InputSize), columns, cols, n * g.OutLength);
                    // dW[Cout, Cin K] += dproduct[Cout, cols] columns^T
                    Gemm.Multiply(false, true, g.OutChannels, g.Rows, cols, dProduct, cols, columns, cols, dw, g.Rows, accumulate: true);
                }
                if (!dx.IsEmpty)
                {
                    // dcolumns[Cin K, cols] = W^T dproduct, folded back onto each sample's signal.
                    Gemm.Multiply(true, false, g.Rows, cols, g.OutChannels, W.Data, g.Rows, dProduct, cols, dColumns, cols);
                    for (int n = 0; n < samples; n++) g.Col2ImAdd(dColumns, dx.Slice((n0 + n) * g.InputSize, g.InputSize), cols, n * g.OutLength);
                }
                if (!db.IsEmpty)
                    for (int c = 0; c < g.OutChannels; c++) db[c] += Elementwise.Sum(dProduct.Slice(c * cols, cols));
            }
        }
    }
}
