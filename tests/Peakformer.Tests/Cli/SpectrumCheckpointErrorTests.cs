using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>
/// A spectrum checkpoint missing a tensor (a batch-norm buffer, a parameter, k-NN's stored labels) is refused by every
/// command that loads it (predict, evaluate, export) with one `error:` line naming the file and the tensor, exit code 1,
/// and no output: strict loading (Engine/Checkpoints/Checkpoint.LoadEntries) raises SafeTensorsException and the command
/// line's guard prints it as bad input, not as an internal error (exit 70).
/// </summary>
public class SpectrumCheckpointErrorTests
{
    [Theory]
    [InlineData("spectrum-cnn", "features.5.running_mean")]
    [InlineData("spectrum-cnn", "features.1.num_batches_tracked")]
    [InlineData("spectrum-transformer", "encoder.ln.weight")]
    [InlineData("spectrum-logreg", "bias")]
    [InlineData("spectrum-knn", "train_y")]
    public void A_checkpoint_missing_a_tensor_is_a_one_line_error_naming_file_and_tensor_in_every_command(string kindName, string missing)
    {
        using var folder = new TempFolder();
        string data = folder.File("test.npz");
        var (exit, output, error) = CliHarness.Run("simulate", "--domain", "raman", "--spectra", "20", "--points", "64", "--classes", "2", "--seed", "1", "--out", data);
        Assert.True(exit == 0, error + output);
        var set = SpectrumSetFile.Read(data);
        var kind = ModelKinds.All.Get(kindName, "test");
        object config = kindName switch
        {
            "spectrum-cnn" => new SpectrumCnnConfig { Length = 64, Classes = 2, Channels = [4, 8], Pool = 2 },
            "spectrum-transformer" => new SpectrumTransformerConfig { Length = 64, Classes = 2, PatchSize = 16, Layers = 1, Heads = 2, Model = 8, FeedForward = 16 },
            "spectrum-logreg" => new SoftmaxRegressionConfig { Length = 64, Classes = 2 },
            _ => new NearestNeighboursConfig { Length = 64, Classes = 2, Examples = 20, K = 3 },
        };
        var model = kind.Build(config, new Rng(1));
        string whole = folder.File("whole.safetensors"), damaged = folder.File("damaged.safetensors");
        SpectrumCheckpoint.Save(whole, model, kind, ModelJson.Serialize(config),
            new SpectrumModelInfo { ClassNames = set.ClassNames, Axis = set.Wavenumbers, InputAxis = set.Wavenumbers });
        var (tensors, metadata) = SafeTensorsFile.Read(whole);
        Assert.Contains(tensors, t => t.Name == missing);
        SafeTensorsFile.Write(damaged, tensors.Where(t => t.Name != missing), metadata);

        foreach (var (args, written) in new (string[], string)[]
        {
            (["predict", "--model", damaged, "--data", data, "--out", folder.File("p.csv")], folder.File("p.csv")),
            (["evaluate", "--models", damaged, "--data", data, "--out", folder.File("report")], folder.File("report")),
            (["export", "--model", damaged, "--out", folder.File("m.onnx")], folder.File("m.onnx")),
        })
        {
            (exit, output, error) = CliHarness.Run(args);
            if (kindName == "spectrum-knn" && args[0] == "export")
            {
                // k-NN has no graph: export says so before it reads the tensors.
                Assert.Equal(1, exit);
                Assert.Contains("is not exported as ONNX", error);
                continue;
            }
            Assert.True(exit == 1, $"{args[0]}: exit {exit}: {error}");
            Assert.Equal($"error: {damaged}: checkpoint does not match the model: missing {missing}.", error.Trim());
            Assert.False(File.Exists(written) || Directory.Exists(written), $"{args[0]} wrote {written}");
        }
    }
}
