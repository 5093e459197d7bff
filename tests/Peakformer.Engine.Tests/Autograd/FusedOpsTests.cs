using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Autograd;

public class FusedOpsTests
{
    private static Tensor R(ulong seed, params int[] dims) => Make.Random(new Rng(seed), new Shape(dims));

    [Fact]
    public void Fused_residuals_and_activation_dropout_match_finite_differences()
    {
        // A fresh generator per evaluation keeps the dropout mask fixed across the finite-difference probes.
        GradientCheck.Run((t, x) => Ops.Residual(t, x[0], x[1], 0.3f, true, new Rng(5)), [R(1, 3, 17), R(2, 3, 17)]);
        GradientCheck.Run((t, x) => Ops.ResidualLayerNorm(t, x[0], x[1], 0.3f, true, new Rng(5), x[2], x[3]),
            [R(3, 5, 17), R(4, 5, 17), R(5, 17), R(6, 17)]);
        GradientCheck.Run((t, x) => Ops.ActivationDropout(t, x[0], ActivationKind.Gelu, 0.25f, true, new Rng(9)), [R(7, 65)]);
    }

    [Theory]
    [InlineData(33)]
    [InlineData(64)]
    public void Fused_operations_equal_their_unfused_compositions_bit_for_bit(int width)
    {
        var x = R(11, 4, width);
        var sub = R(12, 4, width);
        var tape = new Tape(gradients: false);
        var fused = Ops.Residual(tape, x, sub, 0.4f, true, new Rng(3)).ToArray();
        var plain = Ops.Add(tape, x, Ops.Dropout(tape, sub, 0.4f, true, new Rng(3))).ToArray();
        Assert.Equal(plain, fused);
        var w = R(15, width);
        var bias = R(16, width);
        var norm = Ops.ResidualLayerNorm(tape, x, sub, 0.4f, true, new Rng(3), w, bias).ToArray();
        var normPlain = Ops.LayerNorm(tape, Ops.Add(tape, x, Ops.Dropout(tape, sub, 0.4f, true, new Rng(3))), w, bias).ToArray();
        Assert.Equal(normPlain, norm);
        var act = Ops.ActivationDropout(tape, x, ActivationKind.Gelu, 0.4f, true, new Rng(4)).ToArray();
        var actPlain = Ops.Dropout(tape, Ops.Gelu(tape, x), 0.4f, true, new Rng(4)).ToArray();
        Assert.Equal(actPlain, act);
    }

    [Fact]
    public void Outside_training_the_fused_dropouts_are_identities()
    {
        var x = R(13, 2, 16);
        var sub = R(14, 2, 16);
        var tape = new Tape(gradients: false);
        Assert.Equal(Ops.Add(tape, x, sub).ToArray(), Ops.Residual(tape, x, sub, 0.5f, false, new Rng(1)).ToArray());
        Assert.Equal(Ops.Gelu(tape, x).ToArray(), Ops.ActivationDropout(tape, x, ActivationKind.Gelu, 0.5f, false, new Rng(1)).ToArray());
    }
}
