using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Onnx;

/// <summary>`export` refuses what it cannot write with one `error:` line, and writes nothing.</summary>
public class OnnxExportErrorTests(PeakCommandTests.Trained t) : IClassFixture<PeakCommandTests.Trained>
{
    [Fact]
    public void A_peak_model_asked_of_a_checkpoint_without_one_a_missing_model_and_an_unknown_format_are_one_line_errors()
    {
        using var folder = new TempFolder();
        string onnx = folder.File("model.onnx");
        string counter = folder.File("onestep.safetensors");
        global::Peakformer.DriftChamber.Models.CountCheckpoint.Save(counter,
            new global::Peakformer.DriftChamber.Models.OneStepCounter(new global::Peakformer.DriftChamber.Models.OneStepCounterConfig(), new global::Peakformer.Engine.Randomness.Rng(1)),
            new global::Peakformer.DriftChamber.Models.CountModelInfo());
        foreach (var (args, says) in new (string[], string)[]
        {
            (["export", "--model", counter, "--out", onnx, "--peak-model-out", folder.File("peaks.onnx")], "carries no peak model (the one-step counter reads the waveform)"),
            (["export", "--model", t.Window, "--out", onnx, "--peak-model-out", folder.File("peaks.onnx")], "--peak-model-out: only a count model carries a peak model"),
            (["export", "--model", folder.File("absent.safetensors"), "--out", onnx], "model file not found"),
            (["export", "--model", t.Window, "--format", "tflite", "--out", onnx], "--format: expected onnx, found 'tflite'"),
        })
        {
            var (code, _, error) = CliHarness.Run(args);
            Assert.Equal(1, code);
            Assert.StartsWith("error: ", error);
            Assert.Contains(says, error);
            Assert.Single(error.Trim().Split('\n'));
            Assert.False(File.Exists(onnx));
            Assert.False(File.Exists(folder.File("peaks.onnx")));
        }
    }

    [Fact]
    public void Export_never_replaces_a_file_peakformer_did_not_write_nor_its_own_model()
    {
        using var folder = new TempFolder();
        string model = folder.File("vit.safetensors");
        var vit = new global::Peakformer.Vision.Models.VisionTransformer(new global::Peakformer.Vision.Models.VisionTransformerConfig
        {
            ImageSize = 8, Channels = 1, PatchSize = 4, Layers = 1, Heads = 2, Model = 8, FeedForward = 16, Classes = 3,
        }, new global::Peakformer.Engine.Randomness.Rng(1));
        global::Peakformer.Vision.Models.ImageCheckpoint.Save(model, vit, new global::Peakformer.Vision.Models.ImageModelInfo { ClassNames = ["a", "b", "c"], Channels = 1, Height = 8, Width = 8 });
        string user = folder.File("notes.onnx");
        File.WriteAllText(user, "the user's own file");

        var (code, _, error) = CliHarness.Run("export", "--model", model, "--out", user, "--force");
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error);
        Assert.Equal("the user's own file", File.ReadAllText(user));

        (code, _, error) = CliHarness.Run("export", "--model", model, "--out", model, "--force");
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error);

        string onnx = folder.File("vit.onnx");
        Assert.Equal(0, CliHarness.Run("export", "--model", model, "--out", onnx).Exit);
        (code, _, error) = CliHarness.Run("export", "--model", model, "--out", onnx);
        Assert.Equal(1, code);
        Assert.Contains("--force", error);
        Assert.Equal(0, CliHarness.Run("export", "--model", model, "--out", onnx, "--force").Exit);
    }
}
