using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;
using Peakformer.Tests.Hostile;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.DriftChamber;

/// <summary>Model sizes and checkpoint numbers are input: refused with the field, range and value before anything is allocated.</summary>
public class ModelConfigLimitsTests
{
    [Theory]
    [InlineData("window-transformer", "{\"layers\": 100000}", "layers: expected a whole number in [1, 24], found 100000")]
    [InlineData("window-transformer", "{\"model\": 8192, \"heads\": 8}", "model: expected a whole number in [1, 1024], found 8192")]
    [InlineData("window-transformer", "{\"model\": 1024, \"heads\": 8, \"layers\": 24, \"feed_forward\": 8192}", "expected at most 16000000 weights in all")]
    [InlineData("window-transformer", "{\"window_length\": 2000000000}", "window_length: expected a whole number in [1, 1024]")]
    [InlineData("window-transformer", "{\"head_hidden\": 2000000000}", "head_hidden: expected a whole number in [1, 8192]")]
    [InlineData("window-lstm", "{\"hidden\": 100000}", "hidden: expected a whole number in [1, 1024], found 100000")]
    [InlineData("perbin-transformer", "{\"embedding_kernel\": 100001}", "embedding_kernel: expected a whole number in [1, 255]")]
    [InlineData("perbin-transformer", "{\"feed_forward\": 1000000}", "feed_forward: expected a whole number in [1, 8192], found 1000000")]
    [InlineData("patch-transformer", "{\"patch\": 100000}", "patch: expected a whole number in [1, 256], found 100000")]
    [InlineData("patch-transformer", "{\"front_channels\": -1}", "front_channels: expected a whole number in [0, 256], found -1")]
    [InlineData("patch-transformer", "{\"front_kernel\": 4}", "front_kernel: expected an odd number, found 4")]
    [InlineData("patch-transformer", "{\"model\": 1024, \"heads\": 8, \"layers\": 24, \"feed_forward\": 8192}", "expected at most 16000000 weights in all")]
    public void A_huge_peak_model_config_is_refused_before_allocation(string kind, string json, string message)
    {
        var e = Bounded.Within(TimeSpan.FromSeconds(10), 16 << 20, json, () => Assert.Throws<InputException>(() => DriftChamberModels.Create(kind, json, new Rng(1), "--model-config")));
        Assert.StartsWith("--model-config: model config: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("count-transformer", "{\"dense\": 100000000}", "dense: expected a whole number in [1, 8192]")]
    [InlineData("count-transformer", "{\"layers\": 100000}", "layers: expected a whole number in [1, 24]")]
    [InlineData("onestep-counter", "{\"samples\": 2000000000}", "samples: expected a whole number in [1, 100000]")]
    [InlineData("onestep-counter", "{\"backbone\": {\"model\": 8192}}", "model: expected a whole number in [1, 1024]")]
    public void A_huge_count_model_config_is_refused_before_allocation(string kind, string json, string message)
    {
        var e = Bounded.Within(TimeSpan.FromSeconds(10), 16 << 20, json, () => Assert.Throws<InputException>(() => DriftChamberModels.CreateCounter(kind, json, new Rng(1), "--model-config")));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_nan_dropout_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new WindowTransformer(new WindowTransformerConfig { AttentionDropout = float.NaN }, new Rng(1)));
        Assert.Contains("attention_dropout: expected a dropout probability in [0, 1), found NaN", e.Message);
    }

    private static string Saved(TempFolder folder)
    {
        string path = folder.File("m.safetensors");
        var model = DriftChamberModels.Create("window-transformer", "{\"model\": 16, \"heads\": 2, \"layers\": 1, \"feed_forward\": 16, \"head_hidden\": 16}", new Rng(1));
        PeakCheckpoint.Save(path, model, new PeakModelInfo { Task = "window" });
        return path;
    }

    [Fact]
    public void A_checkpoint_asking_for_a_huge_model_is_refused_naming_the_file_and_field()
    {
        using var folder = new TempFolder();
        string bad = HostileCopies.WithConfig(Saved(folder), folder.File("huge.safetensors"), "layers", "100000");
        var e = Bounded.Within(TimeSpan.FromSeconds(10), 16 << 20, "load", () => Assert.Throws<InputException>(() => PeakCheckpoint.Load(bad)));
        Assert.Equal($"{bad}: model config: layers: expected a whole number in [1, 24], found 100000", e.Message);
    }

    [Theory]
    [InlineData("-1", "threshold: expected a value in (0, 1), found -1")]
    [InlineData("1", "threshold: expected a value in (0, 1), found 1")]
    [InlineData("\"NaN\"", "peak_model_info is invalid at $.threshold")]
    [InlineData("1e999", "threshold: expected a value in (0, 1), found Infinity")]
    public void A_checkpoint_threshold_outside_0_1_is_refused(string value, string message)
    {
        using var folder = new TempFolder();
        string bad = HostileCopies.WithInfo(Saved(folder), folder.File("t.safetensors"), PeakCheckpoint.InfoKey, "threshold", value);
        var e = Assert.Throws<InputException>(() => PeakCheckpoint.Load(bad));
        Assert.StartsWith(bad + ": peak_model_info", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void A_checkpoint_with_a_non_finite_weight_is_refused_naming_the_tensor(float value, string shown)
    {
        using var folder = new TempFolder();
        string bad = HostileCopies.Rewrite(Saved(folder), folder.File("w.safetensors"),
            tensors: t => t.First(x => x.Name == "encoder.layers.0.linear1.weight").Values[7] = value);
        var e = Assert.Throws<SafeTensorsException>(() => PeakCheckpoint.Load(bad));
        Assert.Equal($"{bad}: tensor 'encoder.layers.0.linear1.weight' holds {shown} at element 7 (expected finite weights)", e.Message);
    }
}
