using Peakformer.Engine.Tests.Support;
using System.Text.Json;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Models;
using Peakformer.Spectroscopy.Models;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>
/// The 1D CNN against its PyTorch twin (python/peakformer_torch.py, kind spectrum-cnn) on the same weights:
/// tools/golden/make_cnn_golden.py wrote the twin's state dict, logits, gradients and buffers with PyTorch 1.13.
/// </summary>
[Collection(SharedPoolCollection.Name)]
public class SpectrumCnnTests
{
    private static (SpectrumCnn Model, Dictionary<string, SafeTensorsEntry> Golden) Twin()
    {
        var (tensors, metadata) = SafeTensorsFile.Read(GoldenFiles.Path("spectrum_cnn_torch.safetensors"));
        var config = JsonSerializer.Deserialize<SpectrumCnnConfig>(metadata["config"], ModelJson.Options)!;
        var model = new SpectrumCnn(config, new Rng(1));
        Checkpoint.LoadEntries("spectrum_cnn_torch", tensors.Where(t => t.Name.StartsWith("param.", StringComparison.Ordinal))
            .Select(t => t with { Name = t.Name[6..] }).ToList(), model);
        return (model, tensors.ToDictionary(t => t.Name));
    }

    private static void Close(Dictionary<string, SafeTensorsEntry> golden, string name, ReadOnlySpan<float> actual, double atol = 1e-5)
    {
        var expected = golden[name].Values;
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= atol + 1e-4 * Math.Abs(expected[i]),
                $"{name}[{i}]: Peakformer {actual[i]:G7}, PyTorch {expected[i]:G7}");
    }

    [Fact]
    public void Logits_gradients_and_running_statistics_equal_the_pytorch_twins()
    {
        var (model, g) = Twin();
        var parameters = new ParameterSet(model);
        var tape = new Tape();
        var x = Tensor.FromArray(g["in.x"].Values, g["in.x"].Shape).WithGrad();
        var y = model.Forward(tape, x);
        Close(g, "out.y", y.Data);
        tape.Backward(Ops.Sum(tape, Ops.Mul(tape, y, Tensor.FromArray(g["in.r"].Values, g["in.r"].Shape))));
        Close(g, "grad.x", x.Grad!.Data);
        foreach (var (name, p) in parameters.Named) Close(g, "grad.param." + name, p.Grad.Data);
        foreach (var (name, buffer) in model.NamedBuffers()) Close(g, "out.state." + name, buffer.Data);

        model.Eval();
        var logits = new float[g["out.eval_y"].Values.Length];
        model.Logits(g["in.x"].Values, g["in.x"].Shape[0], logits);
        Close(g, "out.eval_y", logits);
    }

    [Fact]
    public void Parameter_and_buffer_names_are_the_twins()
    {
        var model = new SpectrumCnn(new SpectrumCnnConfig { Channels = [4, 6], Classes = 3 }, new Rng(1));
        Assert.Equal(
            ["features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias", "features.4.weight", "features.4.bias",
             "features.5.weight", "features.5.bias", "head.weight", "head.bias",
             "features.1.running_mean", "features.1.running_var", "features.1.num_batches_tracked",
             "features.5.running_mean", "features.5.running_var", "features.5.num_batches_tracked"],
            model.NamedState().Select(s => s.Name));
    }

    [Fact]
    public void Inference_allocates_nothing_after_the_first_batch()
    {
        var model = new SpectrumCnn(new SpectrumCnnConfig { Length = 200, Classes = 4, Channels = [16, 32, 64], Pool = 2 }, new Rng(2));
        model.Eval();
        var spectra = new float[8 * 200];
        new Rng(3).FillNormal(spectra, 1f);
        var logits = new float[8 * 4];
        Allocations.AssertSteadyStepAllocatesNothing(() => model.Logits(spectra, 8, logits), "inference batches");
        Assert.All(logits, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void A_training_step_allocates_nothing_after_the_first()
    {
        var model = new SpectrumCnn(new SpectrumCnnConfig { Length = 200, Classes = 4, Channels = [16, 32, 64], Pool = 2 }, new Rng(2));
        var parameters = new ParameterSet(model);
        var optimizer = new AdamW(parameters, 1e-3f);
        var spectra = new float[8 * 200];
        new Rng(3).FillNormal(spectra, 1f);
        int[] targets = [0, 1, 2, 3, 0, 1, 2, 3];
        var tape = new Tape();
        void Step()
        {
            tape.Reset();
            optimizer.ZeroGrad();
            var loss = Ops.CrossEntropy(tape, model.Forward(tape, tape.From(spectra, new Shape(8, 200))), targets);
            tape.Backward(loss);
            optimizer.Step();
        }
        Allocations.AssertSteadyStepAllocatesNothing(Step, "training steps");
    }

    [Fact]
    public void The_onnx_graph_gives_the_models_logits_in_onnx_runtime()
    {
        var (model, g) = Twin();
        // A training forward first, so the running statistics the graph carries are not the initial ones.
        model.Forward(new Tape(gradients: false), Tensor.FromArray(g["in.x"].Values, g["in.x"].Shape));
        model.Eval();
        int batch = g["in.x"].Shape[0];
        var expected = new float[batch * model.Config.Classes];
        model.Logits(g["in.x"].Values, batch, expected);
        using var onnx = Peakformer.Benchmarks.SpectrumCnnHarness.OnnxPeer(model, g["in.x"].Values, batch, threads: 1);
        var actual = onnx.Run(g["in.x"].Values, [batch, model.Config.Length]);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-4, $"logit {i}: {actual[i]} against {expected[i]}");
    }

    [Fact]
    public void Inference_in_training_mode_is_refused()
    {
        var model = new SpectrumCnn(new SpectrumCnnConfig { Length = 64, Classes = 3, Channels = [16, 32, 64], Pool = 2 }, new Rng(1));
        Assert.Throws<InvalidOperationException>(() => model.Logits(new float[64], 1, new float[3]));
    }

    [Theory]
    [InlineData("kernel_size", 6, "odd")]
    [InlineData("length", 7, "too few")]
    [InlineData("classes", 1, "classes")]
    public void A_bad_config_names_its_field(string field, int value, string expected)
    {
        var config = field switch
        {
            "kernel_size" => new SpectrumCnnConfig { KernelSize = value },
            "length" => new SpectrumCnnConfig { Length = value },
            _ => new SpectrumCnnConfig { Classes = value },
        };
        var e = Assert.Throws<ArgumentException>(config.Validate);
        Assert.StartsWith(field, e.Message);
        Assert.Contains(expected, e.Message);
    }
}
