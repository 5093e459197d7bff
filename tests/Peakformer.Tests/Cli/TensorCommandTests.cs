using System.Text.Json;
using Peakformer.Engine.Checkpoints;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Tensors;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>The tensor task through the command line: simulate, train with the symmetry penalty, evaluate, and its refusals.</summary>
public class TensorCommandTests
{
    private const string SmallCnn = "{\"channels\": [4, 8], \"pool\": 2}";

    private static void Run(params string[] args)
    {
        var (exit, output, error) = CliHarness.Run(args);
        Assert.True(exit == 0, error + output);
    }

    private static string Fails(params string[] args)
    {
        var (exit, output, error) = CliHarness.Run(args);
        Assert.True(exit == 1, $"expected exit 1, found {exit}: {output}{error}");
        Assert.Single(error.Trim().Split('\n'));
        return error;
    }

    [Fact]
    public void A_tensor_model_trains_with_the_penalty_loads_strictly_and_is_evaluated_on_held_out_molecules()
    {
        using var folder = new TempFolder();
        Run("simulate", "--domain", "raman", "--task", "tensor", "--spectra", "40", "--points", "200", "--seed", "1", "--out", folder.File("train.npz"));
        Run("simulate", "--domain", "raman", "--task", "tensor", "--spectra", "30", "--points", "200", "--seed", "2", "--class-seed", "1", "--out", folder.File("test.npz"));
        string model = folder.File("m.safetensors");
        Run("train", "--task", "tensor", "--data", folder.File("train.npz"), "--out", model, "--epochs", "3", "--warmup-epochs", "1",
            "--model-config", SmallCnn, "--symmetry-penalty", "0.5", "--threads", "1");

        var (tensors, metadata) = SafeTensorsFile.Read(model);
        Assert.Equal(TensorCnn.KindName, metadata["peakformer_model"]);
        Assert.Equal(new Peakformer.Engine.Tensors.Shape(9, 8), tensors.Single(t => t.Name == "head.weight").Shape);
        Assert.Equal(new Peakformer.Engine.Tensors.Shape(4, 11, 7), tensors.Single(t => t.Name == "features.0.weight").Shape);
        var (loaded, info) = TensorCheckpoint.Load(model);
        Assert.Equal(0.5f, info.SymmetryPenalty);
        Assert.Equal(TensorPolarisations.All.Select(p => p.Name), info.ChannelNames);
        SafeTensorsFile.Write(folder.File("damaged.safetensors"), tensors.Where(t => t.Name != "features.1.running_var"), metadata);
        Assert.Contains("features.1.running_var", Assert.ThrowsAny<Exception>(() => TensorCheckpoint.Load(folder.File("damaged.safetensors"))).Message);

        Run("evaluate", "--data", folder.File("test.npz"), "--models", model, "--out", folder.File("report"));
        using var json = JsonDocument.Parse(File.ReadAllText(folder.File("report/metrics.json")));
        var test = TensorSet.Read(folder.File("test.npz"));
        var expected = TensorMetrics.Of(TensorEvaluation.Predict(loaded, test, NullProgress.Instance, "m"), test.Tensors);
        var metrics = json.RootElement.GetProperty("models")[0].GetProperty("metrics");
        Assert.Equal(expected.Rmse, metrics.GetProperty("rmse").GetDouble(), 6);
        Assert.Equal(expected.Asymmetry, metrics.GetProperty("asymmetry").GetDouble(), 6);
        Assert.True(expected.Asymmetry > 0, "an unconstrained head predicts an asymmetric tensor");
    }

    [Fact]
    public void A_resumed_run_keeps_its_symmetry_penalty()
    {
        using var folder = new TempFolder();
        Run("simulate", "--domain", "raman", "--task", "tensor", "--spectra", "30", "--points", "200", "--seed", "1", "--out", folder.File("train.npz"));
        string model = folder.File("m.safetensors");
        string[] train = ["train", "--task", "tensor", "--data", folder.File("train.npz"), "--out", model, "--model-config", SmallCnn, "--threads", "1", "--warmup-epochs", "0"];
        Run([.. train, "--epochs", "1", "--symmetry-penalty", "0.5"]);
        var before = File.ReadAllBytes(model);
        string error = Fails([.. train, "--epochs", "2", "--resume", "--symmetry-penalty", "1"]);
        Assert.Contains("--symmetry-penalty 0.5, found 1", error);
        Assert.Equal(before, File.ReadAllBytes(model));
        Run([.. train, "--epochs", "2", "--resume", "--symmetry-penalty", "0.5"]);
    }

    [Fact]
    public void Wrong_data_for_either_task_and_a_penalty_elsewhere_are_one_line_errors()
    {
        using var folder = new TempFolder();
        Run("simulate", "--domain", "raman", "--spectra", "30", "--points", "200", "--classes", "3", "--out", folder.File("classes.npz"));
        Run("simulate", "--domain", "raman", "--task", "tensor", "--spectra", "20", "--points", "200", "--out", folder.File("tensors.npz"));
        Run("simulate", "--domain", "raman", "--task", "tensor", "--spectra", "20", "--points", "150", "--out", folder.File("other-grid.npz"));
        Assert.Contains("classification set", Fails("train", "--task", "tensor", "--data", folder.File("classes.npz"), "--out", folder.File("a.safetensors")));
        Assert.Contains("'y'", Fails("train", "--task", "spectrum", "--model", "cnn", "--data", folder.File("tensors.npz"), "--out", folder.File("b.safetensors")));
        Assert.Contains("--symmetry-penalty", Fails("train", "--task", "spectrum", "--model", "cnn", "--data", folder.File("classes.npz"), "--out", folder.File("c.safetensors"),
            "--symmetry-penalty", "1"));
        Assert.Contains("--task tensor", Fails("simulate", "--domain", "raman", "--task", "tensor", "--polarisation", "crossed", "--out", folder.File("d.npz")));
        Assert.Contains("--tensor-class", Fails("simulate", "--domain", "raman", "--tensor-class", "2", "--out", folder.File("e.npz")));
        Assert.Contains("--symmetry-penalty", Fails("train", "--task", "tensor", "--data", folder.File("tensors.npz"), "--out", folder.File("f.safetensors"), "--symmetry-penalty", "-1"));

        string model = folder.File("m.safetensors");
        Run("train", "--task", "tensor", "--data", folder.File("tensors.npz"), "--out", model, "--epochs", "2", "--warmup-epochs", "0", "--model-config", SmallCnn, "--threads", "1");
        Assert.Contains("wavenumbers", Fails("evaluate", "--data", folder.File("other-grid.npz"), "--models", model, "--out", folder.File("r1")));
        Assert.Contains("classification set", Fails("evaluate", "--data", folder.File("classes.npz"), "--models", model, "--out", folder.File("r2")));
        Assert.False(Directory.Exists(folder.File("r1")));
    }
}
