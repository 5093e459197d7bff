using Peakformer.Engine.Autograd;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Training;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Spectroscopy;

public class SpectrumTransformerTests
{
    private static readonly SpectrumTransformerConfig Small = new() { Length = 50, PatchSize = 8, Layers = 2, Heads = 2, Model = 16, FeedForward = 32, Classes = 3, Dropout = 0 };

    [Fact]
    public void A_checkpoint_saved_by_the_pytorch_twin_loads_strictly_and_gives_its_logits()
    {
        // tools/golden/make_spectrum_transformer_golden.py: torchvision's ViT Encoder, a padded last patch, random weights.
        var (model, kind, info) = SpectrumCheckpoint.Load(GoldenFiles.Path("spectrum_transformer_torch.safetensors"));
        Assert.Equal(SpectrumModels.Transformer, kind);
        Assert.Equal(["a", "b", "c"], info.ClassNames);
        var io = SafeTensorsFile.Read(GoldenFiles.Path("spectrum_transformer_io.safetensors")).Tensors.ToDictionary(t => t.Name);
        var logits = model.Forward(new Tape(gradients: false), Tensor.FromArray(io["inputs"].Values, io["inputs"].Shape));
        Assert.Equal(io["logits"].Shape, logits.Shape);
        var expected = io["logits"].Values;
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - logits.Data[i]) < 1e-5, $"logit {i}: {logits.Data[i]} against PyTorch's {expected[i]}");
    }

    [Fact]
    public void Parameters_carry_torchvisions_vit_names_with_a_one_channel_conv1d_patch_projection()
    {
        var names = new SpectrumTransformer(Small, new Rng(1)).NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Shape.ToString());
        Assert.Equal(new Shape(16, 1, 8).ToString(), names["conv_proj.weight"]);
        Assert.Equal(new Shape(1, 1, 16).ToString(), names["class_token"]);
        // 50 points in patches of 8: 7 tokens (the last padded) and the class token.
        Assert.Equal(new Shape(1, 8, 16).ToString(), names["encoder.pos_embedding"]);
        Assert.Contains("encoder.layers.encoder_layer_1.mlp.3.weight", names.Keys);
        Assert.Contains("encoder.ln.weight", names.Keys);
        Assert.Equal(new Shape(3, 16).ToString(), names["heads.head.weight"]);
    }

    [Fact]
    public void The_padded_tail_reads_as_zeros_and_the_spectra_of_a_batch_stay_apart()
    {
        var model = new SpectrumTransformer(Small, new Rng(2));
        // A non-zero head so the logits depend on the input.
        new Rng(3).FillNormal(model.Head.Weight.Value.Data, 0.5f);
        model.Eval();
        var rng = new Rng(4);
        var x = new float[2 * 50];
        rng.FillNormal(x, 1f);
        var tape = new Tape(gradients: false);
        var both = model.Forward(tape, tape.From(x, new Shape(2, 50))).ToArray();
        var second = model.Forward(tape, tape.From(x.AsSpan(50, 50), new Shape(1, 50))).ToArray();
        Assert.Equal(both.AsSpan(3, 3).ToArray(), second);
        // The same spectrum padded by hand to 56 points in a model of length 56 gives the same logits.
        var longer = new SpectrumTransformer(Small with { Length = 56 }, new Rng(2));
        new Rng(3).FillNormal(longer.Head.Weight.Value.Data, 0.5f);
        longer.Eval();
        var padded = new float[56];
        x.AsSpan(50, 50).CopyTo(padded);
        var byHand = longer.Forward(tape, tape.From(padded, new Shape(1, 56))).ToArray();
        for (int c = 0; c < 3; c++) Assert.Equal(byHand[c], second[c], 5);
    }

    [Fact]
    public void A_config_without_length_and_classes_gets_the_datas_and_a_given_one_must_match()
    {
        string json = SpectrumTraining.ConfigFor("{\"layers\": 1}", SpectrumModels.Transformer, 300, 5, 90, "x.npz");
        Assert.Contains("\"length\":300", json);
        Assert.Contains("\"classes\":5", json);
        Assert.DoesNotContain("examples", json);
        Assert.Contains("\"examples\":90", SpectrumTraining.ConfigFor(null, SpectrumModels.NearestNeighbours, 300, 5, 90, "x.npz"));
        var e = Assert.Throws<InputException>(() => SpectrumTraining.ConfigFor("{\"length\": 200}", SpectrumModels.LogisticRegression, 300, 5, 90, "x.npz"));
        Assert.Equal("--model-config: length: expected 300 (from x.npz), found 200", e.Message);
    }
}
