using System.Text.Json;
using Peakformer.Tests.Support;
using Xunit.Abstractions;

namespace Peakformer.Tests.Cli;

/// <summary>
/// train and evaluate end to end on the real Fashion-MNIST files (Debian's dataset-fashion-mnist, which .ci/run
/// installs): a small Vision Transformer for two epochs on all 60,000 training images must classify the 10,000 test
/// images far above chance. Reading the wrong label file, misaligning images and labels or mangling the pixel
/// layout would leave it near 0.1. Without the package it passes with a note, except under CI.
/// </summary>
public class FashionMnistCommandTests(ITestOutputHelper output)
{
    private const string Folder = "/usr/share/datasets/fashion-mnist";

    [Fact]
    public void A_small_vit_trained_two_epochs_classifies_the_test_images_far_above_chance()
    {
        if (!File.Exists(Path.Combine(Folder, "t10k-labels-idx1-ubyte.gz")))
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))) Assert.Fail($"CI needs {Folder}: apt-get install dataset-fashion-mnist");
            output.WriteLine($"skipped: {Folder} is absent (apt-get install dataset-fashion-mnist)");
            return;
        }
        using var folder = new TempFolder();
        string model = folder.File("vit.safetensors"), report = folder.File("report");
        var train = CliHarness.Run("train", "--task", "image", "--model", "vit", "--data", Folder, "--out", model, "--hflip",
            "--model-config", "{\"layers\": 1, \"heads\": 2, \"model\": 32, \"feed_forward\": 64}", "--epochs", "2", "--warmup-epochs", "0", "--seed", "3");
        Assert.True(train.Exit == 0, train.Error + train.Output);
        var evaluate = CliHarness.Run("evaluate", "--task", "image", "--data", Folder, "--models", model, "--out", report);
        Assert.True(evaluate.Exit == 0, evaluate.Error + evaluate.Output);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        var first = metrics.RootElement.GetProperty("models")[0];
        Assert.Equal(10_000, metrics.RootElement.GetProperty("images").GetInt32());
        double accuracy = first.GetProperty("accuracy").GetDouble();
        output.WriteLine($"test accuracy after 2 epochs: {accuracy:F4}");
        // Chance is 0.1; this run measured 0.72 on 2026-11-30, and a linear classifier on the raw pixels reaches
        // about 0.84 (zalandoresearch/fashion-mnist benchmarks). The bound leaves room for other seeds and tiers.
        Assert.True(accuracy > 0.6, $"test accuracy {accuracy}: expected above 0.6 (chance is 0.1)");
    }
}
