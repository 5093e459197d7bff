using Peakformer.DriftChamber.Models;
using Peakformer.Learning.Models;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>train's options say what the code does: --warmup-epochs exists as its error names it, and the help reads the registry.</summary>
public class TrainOptionsTests
{
    private const string Tiny = "{\"model\": 16, \"heads\": 2, \"layers\": 1, \"feed_forward\": 16, \"head_hidden\": 16}";

    [Fact]
    public void Warmup_epochs_reach_the_settings_and_too_many_are_refused_naming_the_option()
    {
        using var folder = new TempFolder();
        string data = folder.File("train.npz"), model = folder.File("m.safetensors");
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "24", "--seed", "3", "--out", data).Exit);
        string[] train = ["train", "--data", data, "--out", model, "--model-config", Tiny, "--epochs", "2", "--lr", "1e-3", "--min-auc", "0", "--batch", "64"];
        Assert.Equal("error: --warmup-epochs: expected a whole number in [0, 1], found 2", Hostile.Bounded.CleanError([.. train, "--warmup-epochs", "2"]));
        var (exit, output, error) = CliHarness.Run([.. train, "--warmup-epochs", "1"]);
        Assert.True(exit == 0, error + output);
        Assert.Equal(1, PeakCheckpoint.Load(model).Info.Settings.WarmupEpochs);
    }

    [Fact]
    public void A_run_shorter_than_the_recipes_warm_up_names_the_option_that_helps()
    {
        var warming = ModelKinds.All.Kinds.First(k => k.Recipe.WarmupEpochs > 0);
        int epochs = warming.Recipe.WarmupEpochs;
        using var folder = new TempFolder();
        Assert.Equal($"error: --epochs: the {warming.Name} recipe warms up for {epochs} epochs, so it needs at least {epochs + 1}, found {epochs}; " +
            $"give --warmup-epochs {epochs - 1} for a shorter run",
            Hostile.Bounded.CleanError(["train", "--task", warming.Task, "--model", warming.Model, "--data", folder.File("none"), "--out", folder.File("m.safetensors"),
                "--epochs", epochs.ToString()]));
    }

    [Fact]
    public void The_help_names_every_registered_kind_and_task_and_how_a_window_csv_is_split()
    {
        var (exit, output, error) = CliHarness.Run("train", "--help");
        string help = output + error; // help goes to the error stream in the harness
        Assert.Equal(0, exit);
        string flat = string.Join(" ", help.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        foreach (var kind in ModelKinds.All.Kinds)
        {
            Assert.Contains(kind.DisplayName, flat);
            Assert.Contains($"{kind.Name} {kind.Recipe.Patience}", flat);
        }
        foreach (var task in ModelKinds.All.Tasks) Assert.Contains(task, flat);
        Assert.Contains("--warmup-epochs", flat);
        Assert.Contains("split by EvtNo", flat);
        Assert.DoesNotContain("split by row", flat);
        var (_, countOut, countErr) = CliHarness.Run("count", "--help");
        string countHelp = countOut + countErr;
        string countFlat = string.Join(" ", countHelp.Split((char[])['\n', '\r', ' '], StringSplitOptions.RemoveEmptyEntries));
        foreach (var kind in DriftChamberModels.CountKinds) Assert.Contains(kind.DisplayName, countFlat);
    }
}
