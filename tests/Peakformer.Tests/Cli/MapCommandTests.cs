using System.Text.Json;
using Peakformer.Data.Images;
using Peakformer.Tests.Support;
using Peakformer.Vision.Models;

namespace Peakformer.Tests.Cli;

/// <summary>
/// simulate --domain ters, train --task map --model vit and evaluate --task map end to end on a small map set with a
/// tiny Vision Transformer: the checkpoint says it is a map model, the report has example maps and attention maps.
/// </summary>
public class MapCommandTests
{
    private const string Tiny = "{\"patch_size\": 8, \"layers\": 1, \"heads\": 2, \"model\": 16, \"feed_forward\": 32}";

    [Fact]
    public void A_map_model_trains_on_simulated_maps_and_evaluates_on_a_held_out_set_with_the_same_classes()
    {
        using var folder = new TempFolder();
        string train = folder.File("train.npz"), test = folder.File("test.npz"), model = folder.File("map.safetensors"), report = folder.File("report");
        ImageCommandTests.Ok(CliHarness.Run("simulate", "--domain", "ters", "--maps", "120", "--size", "16", "--classes", "3", "--seed", "1", "--out", train));
        ImageCommandTests.Ok(CliHarness.Run("simulate", "--domain", "ters", "--maps", "60", "--size", "16", "--classes", "3", "--seed", "2", "--class-seed", "1", "--out", test));
        var set = ImageSetReader.Read(train, ImageSplit.Train);
        Assert.Equal((3, 16, 16, 120), (set.Channels, set.Height, set.Width, set.Count));
        Assert.Equal(["class_00", "class_01", "class_02"], set.ClassNames);

        ImageCommandTests.Ok(CliHarness.Run("train", "--task", "map", "--model", "vit", "--data", train, "--out", model, "--model-config", Tiny,
            "--epochs", "2", "--warmup-epochs", "0", "--batch", "16", "--seed", "3"));
        var (_, info) = ImageCheckpoint.Load(model);
        Assert.Equal("map", info.Task);
        Assert.Equal(3, info.Channels);
        Assert.True(info.Augmentation.Rotate90 && info.Augmentation.VerticalFlip && info.Augmentation.Blur == 1 && info.Augmentation.Noise == 0.02);

        var r = CliHarness.Run("evaluate", "--task", "map", "--data", test, "--models", model, "--out", report);
        ImageCommandTests.Ok(r);
        Assert.Contains("test maps", r.Output);
        Assert.True(File.Exists(Path.Combine(report, "map_examples.svg")));
        Assert.True(File.Exists(Path.Combine(report, "attention_0_0.svg")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        Assert.Equal("map", metrics.RootElement.GetProperty("task").GetString());

        // predict and attention take a map model too.
        ImageCommandTests.Ok(CliHarness.Run("predict", "--model", model, "--data", test, "--out", folder.File("p.csv")));
        Assert.Equal(61, File.ReadAllLines(folder.File("p.csv")).Length);
        ImageCommandTests.Ok(CliHarness.Run("attention", "--model", model, "--data", test, "--out", folder.File("att")));

        // A map model is not an image model: --task image refuses it in one line.
        ImageCommandTests.OneLineError(CliHarness.Run("evaluate", "--task", "image", "--data", test, "--models", model, "--out", folder.File("r2")), "task: expected image (--task), found a map model");
    }

    [Theory]
    [InlineData("--map-augment", "hflip,spin", "--map-augment: expected none or items of")]
    [InlineData("--shift", "2", "the map task's are in --map-augment")]
    public void Map_training_options_are_checked_in_one_line(string option, string value, string expected)
    {
        using var folder = new TempFolder();
        string train = folder.File("train.npz");
        ImageCommandTests.Ok(CliHarness.Run("simulate", "--domain", "ters", "--maps", "20", "--size", "8", "--out", train));
        ImageCommandTests.OneLineError(CliHarness.Run("train", "--task", "map", "--model", "vit", "--data", train, "--out", folder.File("m.safetensors"), option, value), expected);
    }

    [Fact]
    public void Map_augment_belongs_to_the_map_task()
    {
        using var folder = new TempFolder();
        ImageCommandTests.OneLineError(CliHarness.Run("train", "--task", "image", "--model", "vit", "--data", folder.File("x.npz"), "--out", folder.File("m.safetensors"),
            "--map-augment", "hflip"), "--map-augment belongs to the map task");
    }
}
