using Peakformer.Engine.Autograd;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Layers;

/// <summary>
/// TransformerEncoderLayer.ForwardFirstToken against the first row of the full block (itself golden-tested against
/// PyTorch) at a ViT's size: 17 tokens, 4 heads, both norm placements; and, while dropout is active, the very
/// row of the full block with the same masks.
/// </summary>
[Collection(SharedPoolCollection.Name)]
public class FirstTokenTests
{
    private static TransformerEncoderLayer Layer(bool normFirst, float dropout, int seed) => new(new TransformerEncoderLayerOptions
    {
        Model = 32, Heads = 4, FeedForward = 48, AttentionDropout = dropout, FeedForwardDropout = dropout,
        Activation = ActivationKind.Gelu, NormFirst = normFirst, LayerNormEps = 1e-6f,
    }, new Rng((ulong)seed));

    [Theory, MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void The_first_token_and_its_gradients_equal_the_full_blocks_first_row(KernelVariant variant)
    {
        using var scope = KernelScope.Use(variant);
        foreach (bool normFirst in new[] { false, true })
        {
            var rng = new Rng(5);
            var x = Make.Random(rng, 3, 17, 32);
            var r = Make.Random(rng, 3, 32);
            var (firstY, firstDx, firstGrads) = Run(Layer(normFirst, 0f, 9), x, r, (t, l, xi) => l.ForwardFirstToken(t, xi));
            var (fullY, fullDx, fullGrads) = Run(Layer(normFirst, 0f, 9), x, r, (t, l, xi) => ClassToken.Select(t, l.Forward(t, xi)));
            Golden.AssertClose(fullY, firstY, $"output, norm first {normFirst}", 1e-5, 1e-6);
            Golden.AssertClose(fullDx, firstDx, $"d/dx, norm first {normFirst}", 1e-4, 1e-6);
            foreach (var (name, g) in fullGrads) Golden.AssertClose(g, firstGrads[name], $"d/d{name}, norm first {normFirst}", 1e-4, 1e-6);
        }
    }

    [Fact]
    public void While_training_with_dropout_it_is_the_full_blocks_row_with_the_same_masks()
    {
        foreach (bool normFirst in new[] { false, true })
        {
            var rng = new Rng(6);
            var x = Make.Random(rng, 2, 9, 32);
            var r = Make.Random(rng, 2, 32);
            var a = Layer(normFirst, 0.3f, 4);
            var b = Layer(normFirst, 0.3f, 4);
            a.Train();
            b.Train();
            var first = Run(a, x, r, (t, l, xi) => l.ForwardFirstToken(t, xi));
            var full = Run(b, x, r, (t, l, xi) => ClassToken.Select(t, l.Forward(t, xi)));
            Assert.Equal(full.Y, first.Y);
            Assert.Equal(full.Dx, first.Dx);
            foreach (var (name, g) in full.Grads) Assert.Equal(g, first.Grads[name]);
        }
    }

    [Fact]
    public void Asking_for_the_attention_gives_the_full_blocks_probabilities_and_leaves_the_output_as_it_is()
    {
        var rng = new Rng(7);
        var x = Make.Random(rng, 2, 17, 32);
        var layer = Layer(true, 0f, 3);
        layer.Eval();
        var expected = Tensor.Zeros(2, 4, 17, 17);
        layer.Forward(new Tape(gradients: false), x, attentionProbabilities: expected);
        var probabilities = Tensor.Zeros(2, 4, 17, 17);
        var withMaps = layer.ForwardFirstToken(new Tape(gradients: false), x, probabilities);
        Assert.Equal(expected.ToArray(), probabilities.ToArray());
        Assert.Equal(layer.ForwardFirstToken(new Tape(gradients: false), x).ToArray(), withMaps.ToArray());
    }

    [Fact]
    public void A_steady_training_step_allocates_nothing_also_beyond_256_tokens_and_an_empty_batch_is_empty()
    {
        var rng = new Rng(8);
        var q = Make.Random(rng, 2, 32).WithGrad();
        var kv = Make.Random(rng, 2, 300, 64).WithGrad();
        var r = Make.Random(rng, 2, 32);
        var tape = new Tape();
        void Step()
        {
            tape.Reset();
            q.Grad?.Data.Clear();
            kv.Grad?.Data.Clear();
            tape.Backward(Ops.Sum(tape, Ops.Mul(tape, Ops.SingleQueryAttention(tape, q, kv, 4), r)));
        }
        Step();
        Allocations.AssertSteadyStepAllocatesNothing(Step, "training steps");

        var empty = Ops.SingleQueryAttention(new Tape(gradients: false), Tensor.Zeros(0, 32), Tensor.Zeros(0, 5, 64), 4);
        Assert.Equal(new Shape(0, 32), empty.Shape);
    }

    private static (float[] Y, float[] Dx, Dictionary<string, float[]> Grads) Run(TransformerEncoderLayer layer, Tensor x, Tensor r,
        Func<Tape, TransformerEncoderLayer, Tensor, Tensor> forward)
    {
        var input = Tensor.Zeros(x.Shape.ToArray());
        x.Data.CopyTo(input.Data);
        input.WithGrad();
        var parameters = new ParameterSet(layer);
        var tape = new Tape();
        var y = forward(tape, layer, input);
        tape.Backward(Ops.Sum(tape, Ops.Mul(tape, y, r)));
        return (y.ToArray(), input.Grad!.ToArray(), parameters.Named.ToDictionary(p => p.Name, p => p.Parameter.Grad.ToArray()));
    }
}
