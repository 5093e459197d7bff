using Peakformer.Engine.Autograd;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Engine.Tests.Support;
using Peakformer.Tests.Support;
using Peakformer.Vision.Models;

namespace Peakformer.Tests.Vision;

public class VisionTransformerTests
{
    /// <summary>
    /// tools/golden/make_vit_golden.py: torchvision's VisionTransformer (and its Conv1d-patch variant) with seeded
    /// random weights, its state_dict as the checkpoint, its eval-mode logits and per-head attention weights.
    /// </summary>
    public static TheoryData<string, KernelVariant> ModelsAndTiers()
    {
        var data = new TheoryData<string, KernelVariant>();
        foreach (var name in new[] { "vit", "vit1d" })
            foreach (var tier in KernelSettings.Supported) data.Add(name, tier);
        return data;
    }

    [Theory, MemberData(nameof(ModelsAndTiers))]
    public void A_torchvision_checkpoint_loads_strictly_and_gives_torchvisions_logits_and_attention(string name, KernelVariant tier)
    {
        using var scope = KernelScope.Use(tier);
        string path = GoldenFiles.Path($"{name}_torch.safetensors");
        var (kind, config, _) = Checkpoint.ReadHeader(path);
        Assert.Equal(name, kind);
        var model = (VisionTransformer)ModelKinds.All.Get(kind, path).Create(config, new Rng(1), path);
        Checkpoint.Load(path, model);
        // The same names and shapes as torchvision's state_dict (load_state_dict goes by name, not order), so a
        // Peakformer checkpoint loads into torchvision with strict=True.
        Assert.Equal(SafeTensorsFile.Read(path).Tensors.Select(t => $"{t.Name} {t.Shape}").Order(), model.NamedParameters().Select(p => $"{p.Name} {p.Parameter.Shape}").Order());
        model.Eval();
        var io = SafeTensorsFile.Read(GoldenFiles.Path($"{name}_torch_io.safetensors")).Tensors.ToDictionary(t => t.Name);
        var images = Tensor.FromArray(io["in.images"].Values, io["in.images"].Shape);

        var (logits, attention) = model.ForwardWithAttention(new Tape(gradients: false), images);
        // 1e-4 is the bar; 1e-5 also tells layer-norm eps 1e-6 from PyTorch's default 1e-5 (2.8e-5 apart here).
        AssertClose(io["out.logits"].Values, logits.Data, 1e-5, "logits");
        Assert.Equal(io["out.logits"].Shape, logits.Shape);
        Assert.Equal(model.Config.Layers, attention.Length);
        for (int i = 0; i < attention.Length; i++)
        {
            Assert.Equal(io[$"out.attention.{i}"].Shape, attention[i].Shape);
            AssertClose(io[$"out.attention.{i}"].Values, attention[i].Data, 1e-5, $"attention of layer {i}");
        }
        // Asking for the attention does not change the logits.
        AssertClose(logits.ToArray(), model.Forward(new Tape(gradients: false), images).Data, 0, "logits without attention");
    }

    [Fact]
    public void Parameter_names_and_shapes_are_torchvisions()
    {
        var model = new VisionTransformer(new VisionTransformerConfig { Layers = 2, Heads = 2, Model = 16, FeedForward = 32, Channels = 3 }, new Rng(1));
        var names = model.NamedParameters().Select(p => $"{p.Name} {p.Parameter.Shape}").ToList();
        Assert.Equal("class_token [1, 1, 16]", names[0]);
        Assert.Equal("conv_proj.weight [16, 3, 7, 7]", names[1]);
        Assert.Equal("conv_proj.bias [16]", names[2]);
        Assert.Equal("encoder.pos_embedding [1, 17, 16]", names[3]);
        Assert.Contains("encoder.layers.encoder_layer_1.self_attention.in_proj_weight [48, 16]", names);
        Assert.Contains("encoder.layers.encoder_layer_1.self_attention.out_proj.bias [16]", names);
        Assert.Contains("encoder.layers.encoder_layer_0.mlp.0.weight [32, 16]", names);
        Assert.Contains("encoder.layers.encoder_layer_0.mlp.3.weight [16, 32]", names);
        Assert.Contains("encoder.layers.encoder_layer_0.ln_2.bias [16]", names);
        Assert.Equal(["encoder.ln.weight [16]", "encoder.ln.bias [16]", "heads.head.weight [10, 16]", "heads.head.bias [10]"], names[^4..]);
        Assert.Equal(4 + 2 * 12 + 4, names.Count);
        var raster = new VisionTransformer(new VisionTransformerConfig { Layers = 1, Heads = 2, Model = 16, FeedForward = 32, Channels = 3 }, new Rng(1), PatchGeometry.Raster);
        Assert.Contains(raster.NamedParameters(), p => p.Name == "conv_proj.weight" && p.Parameter.Shape == new Shape(16, 3, 49));
    }

    [Theory]
    [InlineData(PatchGeometry.Square)]
    [InlineData(PatchGeometry.Raster)]
    public void Backward_matches_finite_differences_for_the_image_and_every_parameter(PatchGeometry geometry)
    {
        // Two channels and two layers, so the channel order of the patches and the residual paths both count.
        var config = new VisionTransformerConfig { ImageSize = 4, PatchSize = 2, Channels = 2, Layers = 2, Heads = 2, Model = 4, FeedForward = 6, Classes = 3, Dropout = 0 };
        var model = new VisionTransformer(config, new Rng(3), geometry);
        var rng = new Rng(4);
        // Away from the zero head and unit norms of the start, so every parameter's gradient is non-trivial.
        foreach (var (_, p) in model.NamedParameters())
            foreach (ref float v in p.Value.Data) v += (float)(0.5 * rng.NextNormal());
        var inputs = new List<Tensor> { Make.Random(rng, 2, 2, 4, 4) };
        inputs.AddRange(model.NamedParameters().Select(p => p.Parameter.Value));
        GradientCheck.Run((t, x) => model.Forward(t, x[0]), inputs.ToArray(), step: 1e-2, rtol: 3e-2, atol: 3e-3);
    }

    [Fact]
    public void The_raster_model_reads_each_channel_in_raster_order_as_a_conv1d_would()
    {
        // Beside the torch golden (a 1-channel Conv1d), a hand-written Conv1d(C, D, P * P, stride P * P) on two channels:
        // token n, feature d = bias[d] + sum over c, k of weight[d, c, k] * image[c, n * P * P + k].
        var config = new VisionTransformerConfig { ImageSize = 4, PatchSize = 2, Channels = 2, Layers = 1, Heads = 1, Model = 3, FeedForward = 4, Classes = 2, Dropout = 0 };
        var raster = new VisionTransformer(config, new Rng(5), PatchGeometry.Raster);
        var image = Make.Random(new Rng(6), 1, 2, 16);
        var tokens = raster.Patches1d!.Forward(new Tape(gradients: false), image);
        var x = image.Data;
        var w = raster.NamedParameters().First(p => p.Name == "conv_proj.weight").Parameter.Value.Data;
        var b = raster.NamedParameters().First(p => p.Name == "conv_proj.bias").Parameter.Value.Data;
        for (int n = 0; n < 4; n++)
            for (int d = 0; d < 3; d++)
            {
                double expected = b[d];
                for (int c = 0; c < 2; c++)
                    for (int k = 0; k < 4; k++) expected += w[(d * 2 + c) * 4 + k] * x[c * 16 + n * 4 + k];
                Assert.Equal(expected, tokens.Data[n * 3 + d], 1e-5);
            }
    }

    [Fact]
    public void Inputs_may_be_flat_or_without_a_channel_axis()
    {
        var model = new VisionTransformer(new VisionTransformerConfig { ImageSize = 8, PatchSize = 4, Layers = 1, Heads = 1, Model = 4, FeedForward = 4 }, new Rng(1));
        model.Eval();
        var image = Make.Random(new Rng(2), 2, 1, 8, 8);
        var expected = model.Forward(new Tape(gradients: false), image).ToArray();
        foreach (var shape in new[] { new Shape(2, 8, 8), new Shape(2, 64) })
            AssertClose(expected, model.Forward(new Tape(gradients: false), Tensor.FromArray(image.ToArray(), shape)).Data, 0, shape.ToString());
        Assert.Throws<ArgumentException>(() => model.Forward(new Tape(gradients: false), Tensor.Zeros(2, 63)));
    }

    [Theory]
    [InlineData("{\"image_size\": 28, \"patch_size\": 5}", "image_size: expected a multiple of patch_size (5), found 28")]
    [InlineData("{\"model\": 30, \"heads\": 4}", "model: expected a multiple of heads (4), found 30")]
    [InlineData("{\"classes\": 1}", "classes: expected a whole number in [2, 10000], found 1")]
    [InlineData("{\"dropout\": 1}", "dropout: expected a dropout probability in [0, 1), found 1")]
    [InlineData("{\"patch_size\": 1, \"image_size\": 128}", "tokens (patches + 1): expected a whole number in [2, 4097], found 16385")]
    public void Bad_configs_are_one_line_errors_naming_the_field(string json, string message)
    {
        var e = Assert.Throws<InputException>(() => ModelKinds.All.Get("vit", "test").Create(json, new Rng(1), "vit.json"));
        Assert.Equal($"vit.json: model config: {message}", e.Message);
    }

    [Fact]
    public void Both_kinds_are_registered_for_the_image_task_with_the_vit_recipe()
    {
        foreach (var (model, geometry) in new[] { ("vit", PatchGeometry.Square), ("vit1d", PatchGeometry.Raster) })
        {
            var kind = ModelKinds.All.For(VisionModels.ImageTask, model);
            Assert.Equal(model, kind.Name);
            Assert.Equal(VisionModels.Image, kind.Input);
            var built = (VisionTransformer)kind.Create(null, new Rng(1));
            Assert.Equal(geometry, built.Geometry);
            Assert.Equal(model, built.Kind);
            Assert.Equal(("adamw", "cosine"), (kind.Recipe.Optimizer, kind.Recipe.Schedule));
            Assert.True(kind.Recipe.WarmupEpochs > 0);
            kind.Recipe.Validate();
        }
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance, $"{what}[{i}]: expected {expected[i]:G9}, found {actual[i]:G9}");
    }
}
