using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Tests.DriftChamber;

/// <summary>
/// The patch transformer's structure: PyTorch's parameter names and shapes (as python/peakformer_torch.py's twin builds
/// them; the twin tests compare outputs and training steps), and a logit per sample for records of any length.
/// </summary>
public class PatchTransformerTests
{
    [Fact]
    public void Its_parameters_have_the_twins_names_and_shapes()
    {
        var model = new PatchTransformer(new PatchTransformerConfig(), new Rng(1));
        var shapes = model.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape.ToString());
        // nn.Conv1d(1, 8, 9), nn.Conv1d(8, 64, 24, stride=24), nn.Linear(64, 24), nn.TransformerEncoderLayer(64, 2, 128).
        Assert.Equal("[8, 1, 9]", shapes["front.weight"]);
        Assert.Equal("[8]", shapes["front.bias"]);
        Assert.Equal("[64, 8, 24]", shapes["patch_embedding.proj.weight"]);
        Assert.Equal("[64]", shapes["patch_embedding.proj.bias"]);
        Assert.Equal("[192, 64]", shapes["encoder.layers.1.self_attn.in_proj_weight"]);
        Assert.Equal("[128, 64]", shapes["encoder.layers.1.linear1.weight"]);
        Assert.Equal("[24, 64]", shapes["head.weight"]);
        Assert.Equal("[24]", shapes["head.bias"]);
        Assert.DoesNotContain(shapes.Keys, k => k.StartsWith("encoder.layers.2.", StringComparison.Ordinal));

        var raw = new PatchTransformer(new PatchTransformerConfig { FrontChannels = 0 }, new Rng(1));
        Assert.DoesNotContain(raw.NamedParameters(), p => p.Name.StartsWith("front.", StringComparison.Ordinal));
        Assert.Equal("[64, 1, 24]", raw.NamedParameters().Single(p => p.Name == "patch_embedding.proj.weight").Parameter.Shape.ToString());
    }

    [Theory]
    [InlineData(1200, 50)]
    [InlineData(1201, 51)]
    [InlineData(37, 2)]
    [InlineData(1, 1)]
    public void A_record_of_any_length_gets_a_logit_per_sample(int samples, int tokens)
    {
        var model = new PatchTransformer(new PatchTransformerConfig(), new Rng(2));
        Assert.Equal(tokens, model.Tokens(samples));
        var rng = new Rng(3);
        var x = Tensor.FromArray(Enumerable.Range(0, 2 * samples).Select(_ => (float)rng.NextNormal()).ToArray(), new Shape(2, samples));
        model.Eval();
        var logits = model.Forward(new Tape(gradients: false), x);
        Assert.Equal(new Shape(2, samples), logits.Shape);
        Assert.All(logits.ToArray(), v => Assert.True(float.IsFinite(v)));
    }
}
