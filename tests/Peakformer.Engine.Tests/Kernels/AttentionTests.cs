using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Threading;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Kernels;

[Collection(SharedPoolCollection.Name)]
public class AttentionTests
{
    private static (float[] Y, float[] Dqkv) Run(KernelVariant variant, int b, int l, int heads, int dh, bool mask, float dropout,
        bool intermediate = false)
    {
        var rng = new Rng((ulong)(b * 1000 + l * 10 + dh));
        var qkv = Make.Random(rng, new Shape(b, l, 3 * heads * dh)).WithGrad();
        Tensor? m = null;
        if (mask)
        {
            m = Tensor.Zeros(b, l);
            for (int i = 0; i < b; i++)
                for (int j = l - i % Math.Max(1, l / 2); j < l; j++) m.Data[i * l + j] = 1f;
            if (b > 2) for (int j = 0; j < l; j++) m.Data[2 * l + j] = 1f; // one fully padded sequence
        }
        using var scope = KernelScope.Use(variant);
        var tape = new Tape();
        // A leaf's gradient exists before the backward pass (the kernel adds to it); an intermediate's is new (written).
        var input = intermediate ? Ops.Add(tape, qkv, Tensor.Zeros(qkv.Shape[0], qkv.Shape[1], qkv.Shape[2])) : qkv;
        var y = Ops.Attention(tape, input, heads, m, dropout, training: dropout > 0, rng: new Rng(99));
        var r = tape.From(Make.Floats(new Rng(5), y.Size), y.Shape);
        tape.Backward(Ops.Sum(tape, Ops.Mul(tape, y, r)));
        return (y.ToArray(), qkv.Grad!.ToArray());
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Fast_kernels_match_the_reference_with_masks_and_dropout(KernelVariant variant)
    {
        foreach (var (b, l, heads, dh) in new[] { (1, 1, 1, 1), (2, 3, 2, 7), (3, 15, 4, 16), (2, 16, 2, 32), (4, 1, 1, 16), (3, 17, 3, 5), (2, 65, 2, 33), (1, 130, 4, 16) })
            foreach (bool mask in new[] { false, true })
                foreach (float dropout in new[] { 0f, 0.25f })
                    foreach (bool intermediate in new[] { false, true })
                    {
                        var (y0, g0) = Run(KernelVariant.Reference, b, l, heads, dh, mask, dropout, intermediate);
                        var (y1, g1) = Run(variant, b, l, heads, dh, mask, dropout, intermediate);
                        string what = $"B={b} L={l} H={heads} Dh={dh} mask={mask} p={dropout} intermediate={intermediate}";
                        Golden.AssertClose(y0, y1, $"{variant} output {what}", 1e-4, 1e-5);
                        Golden.AssertClose(g0, g1, $"{variant} gradient {what}", 1e-3, 1e-5);
                    }
    }

    /// <summary>
    /// 17 ≤ L ≤ 32 (the ViT's 16 patches + class token): two blocks of query lanes in the short kernel. Head sizes it
    /// takes (16 .. 64) and one it leaves to the row kernel (8); batch x heads on both sides of its one-thread limit
    /// (64 items); L = 33 is the first length past it.
    /// </summary>
    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Sequences_of_17_to_33_match_the_reference(KernelVariant variant)
    {
        foreach (var (b, l, heads, dh) in new[] { (2, 17, 2, 16), (3, 24, 3, 32), (2, 31, 1, 48), (3, 32, 2, 64), (2, 17, 2, 8),
                     (17, 17, 4, 32), (9, 32, 8, 16), (20, 31, 4, 32), (2, 33, 2, 32) })
            foreach (bool mask in new[] { false, true })
                foreach (float dropout in new[] { 0f, 0.25f })
                    foreach (bool intermediate in new[] { false, true })
                    {
                        var (y0, g0) = Run(KernelVariant.Reference, b, l, heads, dh, mask, dropout, intermediate);
                        var (y1, g1) = Run(variant, b, l, heads, dh, mask, dropout, intermediate);
                        string what = $"B={b} L={l} H={heads} Dh={dh} mask={mask} p={dropout} intermediate={intermediate}";
                        Golden.AssertClose(y0, y1, $"{variant} output {what}", 1e-4, 1e-5);
                        Golden.AssertClose(g0, g1, $"{variant} gradient {what}", 1e-3, 1e-5);
                    }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Short_sequences_give_the_same_bits_on_one_and_two_threads(KernelVariant variant)
    {
        // 17 x 4 = 68 (batch, head) items: above the short kernel's one-thread limit, so two threads split them.
        foreach (var (b, l, heads, dh) in new[] { (17, 17, 4, 32), (17, 15, 4, 16), (17, 32, 4, 16) })
        {
            int previous = WorkerPool.Shared.Threads;
            try
            {
                WorkerPool.SetSharedThreads(1);
                var (y1, g1) = Run(variant, b, l, heads, dh, mask: true, dropout: 0.25f);
                WorkerPool.SetSharedThreads(2);
                var (y2, g2) = Run(variant, b, l, heads, dh, mask: true, dropout: 0.25f);
                Assert.Equal(y1, y2);
                Assert.Equal(g1, g2);
            }
            finally { WorkerPool.SetSharedThreads(previous); }
        }
    }

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void The_gradient_is_added_to_one_that_already_exists(KernelVariant variant)
    {
        // qkv also feeds a later product, whose backward runs first: attention must add to that gradient, not write over it.
        foreach (var (b, l, heads, dh) in new[] { (3, 15, 4, 16), (2, 7, 2, 5) })
        {
            using var scope = KernelScope.Use(variant);
            var rng = new Rng(11);
            var qkv = Make.Random(rng, new Shape(b, l, 3 * heads * dh)).WithGrad();
            var r = Make.Random(rng, new Shape(b, l, heads * dh));
            var other = Make.Random(rng, qkv.Shape);
            var tape = new Tape();
            var y = Ops.Attention(tape, qkv, heads, null, 0.25f, training: true, rng: new Rng(99));
            var attentionTerm = Ops.Sum(tape, Ops.Mul(tape, y, r));
            tape.Backward(Ops.Add(tape, attentionTerm, Ops.Sum(tape, Ops.Mul(tape, qkv, other))));
            var both = qkv.Grad!.ToArray();

            var alone = Make.Random(new Rng(11), qkv.Shape).WithGrad();
            var tape2 = new Tape();
            var y2 = Ops.Attention(tape2, alone, heads, null, 0.25f, training: true, rng: new Rng(99));
            tape2.Backward(Ops.Sum(tape2, Ops.Mul(tape2, y2, r)));
            var expected = alone.Grad!.ToArray();
            for (int i = 0; i < expected.Length; i++) expected[i] += other.Data[i];   // d/dqkv of sum(qkv * other) = other
            Golden.AssertClose(expected, both, $"{variant} B={b} L={l} H={heads} Dh={dh}", 1e-5, 1e-6);
        }
    }

    [Fact]
    public void A_fully_padded_sequence_gives_zeros_not_nan()
    {
        var (y, g) = Run(KernelSettings.Best, 3, 5, 1, 4, mask: true, dropout: 0);
        Assert.All(y, v => Assert.True(float.IsFinite(v)));
        Assert.All(g, v => Assert.True(float.IsFinite(v)));
        Assert.All(y.AsSpan(2 * 5 * 4, 5 * 4).ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Padded_keys_do_not_change_the_output_of_the_other_positions()
    {
        var rng = new Rng(11);
        var qkv = Make.Random(rng, new Shape(1, 6, 12));
        var longer = Tensor.Zeros(1, 9, 12);
        qkv.Data.CopyTo(longer.Data);
        Make.Random(rng, new Shape(1, 3, 12)).Data.CopyTo(longer.Data[(6 * 12)..]);
        var mask = Tensor.Zeros(1, 9);
        for (int j = 6; j < 9; j++) mask.Data[j] = 1f;
        var tape = new Tape(gradients: false);
        var short_ = Ops.Attention(tape, qkv, 2).ToArray();
        var masked = Ops.Attention(tape, longer, 2, mask).ToArray();
        Golden.AssertClose(short_, masked.AsSpan(0, 6 * 4).ToArray(), "masked vs unpadded", 1e-5, 1e-6);
    }

    [Fact]
    public void The_reference_kernel_allocates_nothing_once_its_row_buffers_exist()
    {
        // It used to allocate its row buffers on every call: 528 bytes per training step under the reference tier.
        var shape = new AttentionShape(2, 9, 2, 4, null, 0, 0.1f, 7);
        var qkv = Make.Floats(new Rng(3), 2 * 9 * 3 * 8);
        var y = new float[2 * 9 * 8];
        var lse = new float[2 * 2 * 9];
        var dy = Make.Floats(new Rng(4), y.Length);
        var dqkv = new float[qkv.Length];
        Allocations.AssertSteadyStepAllocatesNothing(() =>
        {
            AttentionReference.Forward(shape, qkv, y, lse);
            AttentionReference.Backward(shape, qkv, y, lse, dy, dqkv);
        }, "forward and backward calls");
    }
}
