using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;
using Peakformer.Engine.Threading;

namespace Peakformer.Engine.Tests.Kernels;

/// <summary>
/// The precision of matrix products reaches the worker threads: a convolution of several chunks at two threads runs
/// its other threads' chunks in the caller's precision (the worker threads were started in float32, or in bfloat16).
/// </summary>
[Collection(SharedPoolCollection.Name)]
public class GemmBf16ThreadsTests
{
    // Batch 64 of 4 x 90 with kernel 7: 26 samples per chunk, so three chunks, shared by two threads.
    private const int Batch = 64, In = 4, Length = 90, Out = 16, Kernel = 7, Padding = 3;

    private static (float[] Y, float[] Dx, float[] Dw) Run(MatrixPrecision precision, int threads, MatrixPrecision poolStartedIn)
    {
        int before = WorkerPool.Shared.Threads;
        var outer = KernelSettings.Precision;
        try
        {
            // A pool's threads keep the execution context they were started in: start them in the other precision.
            KernelSettings.Precision = poolStartedIn;
            WorkerPool.SetSharedThreads(1);
            WorkerPool.SetSharedThreads(threads);
            KernelSettings.Precision = precision;
            var rng = new Rng(11);
            var x = Tensor.Zeros(new Shape(Batch, In, Length)).WithGrad();
            var w = Tensor.Zeros(new Shape(Out, In, Kernel)).WithGrad();
            var b = Tensor.Zeros(new Shape(Out)).WithGrad();
            rng.FillNormal(x.Data, 1f);
            rng.FillNormal(w.Data, 1f);
            rng.FillNormal(b.Data, 1f);
            var tape = new Tape();
            var y = Ops.Conv1d(tape, x, w, b, padding: Padding);
            tape.Backward(Ops.Sum(tape, Ops.Mul(tape, y, y)));
            return (y.Data.ToArray(), x.Grad!.Data.ToArray(), w.Grad!.Data.ToArray());
        }
        finally
        {
            KernelSettings.Precision = outer;
            WorkerPool.SetSharedThreads(before);
        }
    }

    [Theory]
    [InlineData(MatrixPrecision.Bf16, MatrixPrecision.Fp32)]
    [InlineData(MatrixPrecision.Fp32, MatrixPrecision.Bf16)]
    public void A_convolution_gives_the_same_bits_at_one_and_two_threads(MatrixPrecision precision, MatrixPrecision poolStartedIn)
    {
        var one = Run(precision, 1, poolStartedIn);
        var two = Run(precision, 2, poolStartedIn);
        Assert.Equal(one.Y, two.Y);
        Assert.Equal(one.Dx, two.Dx);
        Assert.Equal(one.Dw, two.Dw);
        // And every chunk ran in the precision asked for: the forward pass against the reference convolution of the
        // operands as that precision stores them (the reference sums in double).
        var rng = new Rng(11);
        var x = new float[Batch * In * Length];
        var w = new float[Out * In * Kernel];
        var b = new float[Out];
        rng.FillNormal(x, 1f);
        rng.FillNormal(w, 1f);
        rng.FillNormal(b, 1f);
        float[] Stored(float[] v) => precision == MatrixPrecision.Bf16 ? v.Select(BFloat16.Round).ToArray() : v;
        var expected = new float[two.Y.Length];
        Conv1dReference.Forward(Stored(x), Stored(w), b, expected, Batch, In, Length, Out, Kernel, 1, Padding, 1);
        Golden.AssertClose(expected, two.Y, $"{precision} conv1d at two threads", rtol: 1e-5, atol: 1e-5);
    }
}
