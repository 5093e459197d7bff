using Peakformer.Engine.Autograd;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Layers;

/// <summary>BatchNorm1d against PyTorch 1.13 (tools/golden/make_cnn_golden.py), in every kernel variant.</summary>
public class BatchNorm1dTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pf-bn-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Two_training_steps_and_evaluation_match_pytorch_on_three_axes(KernelVariant v) => Steps("batch_norm1d_3d", v);

    [Theory]
    [MemberData(nameof(KernelScope.Variants), MemberType = typeof(KernelScope))]
    public void Two_training_steps_and_evaluation_match_pytorch_on_two_axes(KernelVariant v) => Steps("batch_norm1d_2d", v);

    /// <summary>Steps 1 and 2 in training mode (outputs, input/weight/bias gradients), the buffers after them, step 3 in evaluation mode.</summary>
    private static void Steps(string name, KernelVariant v)
    {
        using var scope = KernelScope.Use(v);
        var g = Golden.Load(name);
        var bn = new BatchNorm1d(g.ShapeOf("param.weight")[0]);
        g.Values("param.weight").CopyTo(bn.Weight.Value.Data);
        g.Values("param.bias").CopyTo(bn.Bias.Value.Data);
        var parameters = new ParameterSet(bn);
        var tape = new Tape();
        for (int step = 1; step <= 3; step++)
        {
            if (step == 3) bn.Eval();
            tape.Reset();
            parameters.ZeroGrad();
            var x = g.Tensor($"in.x{step}").WithGrad();
            var y = bn.Forward(tape, x);
            string what = $"{name} [{v}] step {step}";
            Golden.AssertClose(g.Values($"out.y{step}"), y.Data, what + " output");
            tape.Backward(Ops.Sum(tape, Ops.Mul(tape, y, g.Tensor($"in.r{step}"))));
            Golden.AssertClose(g.Values($"grad{step}.x"), x.Grad!.Data, what + " d/dx");
            Golden.AssertClose(g.Values($"grad{step}.weight"), bn.Weight.Grad.Data, what + " d/dweight");
            Golden.AssertClose(g.Values($"grad{step}.bias"), bn.Bias.Grad.Data, what + " d/dbias");
            if (step == 2)
            {
                Golden.AssertClose(g.Values("out.running_mean"), bn.RunningMean.Data, what + " running_mean");
                Golden.AssertClose(g.Values("out.running_var"), bn.RunningVar.Data, what + " running_var");
                Assert.Equal(g.Values("out.num_batches_tracked")[0], bn.BatchesTracked.Data[0]);
            }
        }
        // Evaluation leaves the running statistics and the count alone.
        Golden.AssertClose(g.Values("out.running_mean"), bn.RunningMean.Data, $"{name} running_mean after evaluation");
        Assert.Equal(2f, bn.BatchesTracked.Data[0]);
    }

    [Fact]
    public void Buffers_are_saved_and_strictly_loaded_under_pytorch_names()
    {
        var bn = new BatchNorm1d(3);
        var tape = new Tape();
        bn.Forward(tape, Tensor.FromArray([1f, 2f, 3f, 4f, 6f, 9f], new Shape(2, 3)));
        string path = Path.Combine(_dir, "bn.safetensors");
        Checkpoint.Save(path, bn, "test", "{}");
        var (tensors, _) = SafeTensorsFile.Read(path);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], tensors.Select(t => t.Name));
        Assert.Equal(0, tensors[^1].Shape.Rank);

        var copy = new BatchNorm1d(3);
        Checkpoint.Load(path, copy);
        Assert.Equal(bn.RunningMean.ToArray(), copy.RunningMean.ToArray());
        Assert.Equal(bn.RunningVar.ToArray(), copy.RunningVar.ToArray());
        Assert.Equal(1f, copy.BatchesTracked.Data[0]);

        var withoutBuffer = tensors.Where(t => t.Name != "running_var").ToList();
        var e = Assert.Throws<SafeTensorsException>(() => Checkpoint.LoadEntries("bn.safetensors", withoutBuffer, new BatchNorm1d(3)));
        Assert.Contains("missing running_var", e.Message);
    }

    [Fact]
    public void Training_on_one_value_per_channel_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new BatchNorm1d(2).Forward(new Tape(), Tensor.FromArray([1f, 2f], new Shape(1, 2))));
        Assert.Contains("more than one value per channel", e.Message);
    }
}
