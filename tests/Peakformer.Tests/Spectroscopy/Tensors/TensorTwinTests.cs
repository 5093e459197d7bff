using Peakformer.Data.Npy;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Spectroscopy.Tensors;
using Peakformer.Tests.Support;
using Xunit.Abstractions;

namespace Peakformer.Tests.Spectroscopy.Tensors;

/// <summary>
/// The Raman tensor CNN and its loss against the PyTorch twin (python/peakformer_torch.py, kind raman-tensor-cnn,
/// tensor_loss; run by python/check_twin.py tensor): the checkpoint loads strictly under the same names and gives the
/// same outputs; PyTorch's loss (torch.minimum of the two signs, the penalty) and its autograd gradient equal ours.
/// </summary>
public class TensorTwinTests(ITestOutputHelper output)
{
    private static readonly TensorCnnConfig Small = new() { Length = 40, InChannels = 11, Channels = [4, 8], Pool = 2 };

    private static void WriteNpy(string path, float[] values, params long[] shape)
    {
        using var stream = File.Create(path);
        NpyFormat.Write(stream, NpyArray.Of(values, shape));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.7f)]
    public void Outputs_loss_and_its_gradient_match_the_PyTorch_twin(float lambda)
    {
        if (!TorchPython.Available(output)) return;
        using var folder = new TempFolder();
        var model = new TensorCnn(Small, new Rng(3));
        model.Eval();
        string checkpoint = folder.File("t.safetensors");
        TensorCheckpoint.Save(checkpoint, model, new TensorModelInfo
        {
            ChannelNames = TensorPolarisations.All.Select(p => p.Name).ToArray(), Polarisations = TensorPolarisations.Vectors(), Axis = new double[40],
        });
        var rng = new Rng(8);
        const int n = 6;
        var examples = Enumerable.Range(0, n * 11 * 40).Select(_ => (float)rng.NextDouble()).ToArray();
        var targets = Enumerable.Range(0, n * 9).Select(_ => (float)rng.NextNormal()).ToArray();
        WriteNpy(folder.File("x.npy"), examples, n, 11, 40);
        WriteNpy(folder.File("t.npy"), targets, n, 9);
        var (code, _, error) = TorchPython.Run("check_twin.py", "tensor", checkpoint, folder.File("x.npy"), folder.File("t.npy"),
            lambda.ToString(System.Globalization.CultureInfo.InvariantCulture), folder.File("out.npz"));
        Assert.True(code == 0, error);
        using var npz = new NpzReader(folder.File("out.npz"));

        var outputs = model.Forward(new Tape(gradients: false), Tensor.FromArray(examples, new Shape(n, 11 * 40))).ToArray();
        var theirs = npz.Read("outputs").As<float>("outputs");
        for (int i = 0; i < outputs.Length; i++) Assert.Equal(theirs[i], outputs[i], 4);

        var x = Tensor.FromArray(theirs, new Shape(n, 9)).WithGrad();
        var tape = new Tape();
        var loss = new TensorObjective(lambda).Loss(tape, x, tape.From(targets, new Shape(n, 9)));
        double expected = npz.Read("loss").ToDoubles("loss")[0];
        Assert.True(Math.Abs(expected - loss.Item()) < 1e-5 * Math.Max(1, expected), $"loss {loss.Item()}, PyTorch {expected}");
        tape.Backward(loss);
        var grad = npz.Read("grad").As<float>("grad");
        output.WriteLine($"lambda {lambda}: loss {loss.Item():G6} (PyTorch {expected:G6}), largest gradient difference {grad.Zip(x.Grad!.ToArray()).Max(p => Math.Abs(p.First - p.Second)):G3}");
        for (int i = 0; i < grad.Length; i++) Assert.Equal(grad[i], x.Grad!.Data[i], 5);
    }
}
