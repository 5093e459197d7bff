using System.Text.Json;
using Peakformer.Engine.Checkpoints;
using Peakformer.Tests.Support;
using Peakformer.Learning.Training;
using Peakformer.DriftChamber.Models;

namespace Peakformer.Tests.Cli;

/// <summary>train stopped after epoch 2 and resumed to 4 equals an uninterrupted 4-epoch run, bit for bit, with dropout on.</summary>
public class ResumeCommandTests
{
    // Dropout stays at the window transformer's defaults (0.10 attention, 0.15 feed-forward).
    private const string Tiny = "{\"model\": 16, \"heads\": 2, \"layers\": 1, \"feed_forward\": 16, \"head_hidden\": 16}";

    private static string[] Train(string data, string output, int epochs, params string[] more) =>
        ["train", "--data", data, "--out", output, "--model-config", Tiny, "--epochs", epochs.ToString(), "--lr", "1e-3", "--min-auc", "0", "--batch", "64", .. more];

    private static void Ok((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

    private static Dictionary<string, float[]> Tensors(string path) => SafeTensorsFile.Read(path).Tensors.ToDictionary(t => t.Name, t => t.Values);

    [Fact]
    public void Stopped_after_two_epochs_and_resumed_to_four_equals_four_epochs_bit_for_bit()
    {
        using var folder = new TempFolder();
        string data = folder.File("train.npz");
        Ok(CliHarness.Run("simulate", "--events", "40", "--seed", "3", "--out", data));
        string whole = folder.File("whole.safetensors"), parts = folder.File("parts.safetensors");
        Ok(CliHarness.Run(Train(data, whole, 4)));
        Ok(CliHarness.Run(Train(data, parts, 2)));           // the run "killed" after epoch 2: its state is on disk
        Ok(CliHarness.Run(Train(data, parts, 4, "--resume")));

        var a = Tensors(TrainState.PathFor(whole));
        var b = Tensors(TrainState.PathFor(parts));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.Contains(a.Keys, k => k.StartsWith("optimizer.", StringComparison.Ordinal));
        foreach (var (name, values) in a)
            Assert.True(values.AsSpan().SequenceEqual(b[name]), $"{name} differs between 4 epochs and 2 + 2");
        foreach (var (name, values) in Tensors(whole))
            Assert.True(values.AsSpan().SequenceEqual(Tensors(parts)[name]), $"checkpoint tensor {name} differs");
        // The checkpoint's own record too: all four epochs and the same best one, also when 3 and 4 did not improve.
        var (_, wholeInfo) = PeakCheckpoint.Load(whole);
        var (_, partsInfo) = PeakCheckpoint.Load(parts);
        Assert.Equal([1, 2, 3, 4], wholeInfo.History.Select(e => e.Epoch));
        Assert.Equal(wholeInfo.History.Select(e => e.Epoch), partsInfo.History.Select(e => e.Epoch));
        Assert.Equal(wholeInfo.History.Select(e => e.ValidationMetric), partsInfo.History.Select(e => e.ValidationMetric));
        Assert.Equal(wholeInfo.BestEpoch, partsInfo.BestEpoch);
    }

    [Fact]
    public void Resumed_after_an_early_best_the_checkpoint_still_gets_every_epoch()
    {
        // At this learning rate the model collapses to one output within the first two epochs (AUC 0.5 ever after;
        // after epoch 1 or 2 depending on the kernel tier): the resumed epochs 3 and 4 never improve, so the resumed run
        // has only the state's copy of the kept epoch's weights to write its history beside.
        using var folder = new TempFolder();
        string data = folder.File("train.npz");
        Ok(CliHarness.Run("simulate", "--events", "40", "--seed", "3", "--out", data));
        string whole = folder.File("whole.safetensors"), parts = folder.File("parts.safetensors");
        string[] Slow(string[] args) => args.Select(a => a == "1e-3" ? "5e-1" : a).ToArray();
        Ok(CliHarness.Run(Slow(Train(data, whole, 4))));
        Ok(CliHarness.Run(Slow(Train(data, parts, 2))));
        Ok(CliHarness.Run(Slow(Train(data, parts, 4, "--resume"))));
        var (_, wholeInfo) = PeakCheckpoint.Load(whole);
        var (_, partsInfo) = PeakCheckpoint.Load(parts);
        Assert.InRange(wholeInfo.BestEpoch, 1, 2);
        Assert.Equal(4, wholeInfo.History.Count);
        Assert.Equal(4, partsInfo.History.Count);
        Assert.Equal(wholeInfo.BestEpoch, partsInfo.BestEpoch);
        foreach (var (name, values) in Tensors(whole))
            Assert.True(values.AsSpan().SequenceEqual(Tensors(parts)[name]), $"checkpoint tensor {name} differs");
    }

    [Fact]
    public void Resumed_at_another_thread_count_still_equals_the_uninterrupted_run()
    {
        using var folder = new TempFolder();
        string data = folder.File("train.npz");
        Ok(CliHarness.Run("simulate", "--events", "40", "--seed", "4", "--out", data));
        string whole = folder.File("whole.safetensors"), parts = folder.File("parts.safetensors");
        Ok(CliHarness.Run(Train(data, whole, 3, "--threads", "2")));
        Ok(CliHarness.Run(Train(data, parts, 1, "--threads", "1")));
        Ok(CliHarness.Run(Train(data, parts, 3, "--resume", "--threads", "2")));
        var a = Tensors(TrainState.PathFor(whole));
        var b = Tensors(TrainState.PathFor(parts));
        foreach (var (name, values) in a)
            Assert.True(values.AsSpan().SequenceEqual(b[name]), $"{name} differs between 3 epochs at 2 threads and 1 + 2 at 1 then 2 threads");
    }

    [Fact]
    public void A_run_copied_to_another_folder_resumes_and_keeps_training()
    {
        using var folder = new TempFolder();
        string data = folder.File("train.npz"), model = folder.File("m.safetensors");
        Ok(CliHarness.Run("simulate", "--events", "24", "--seed", "3", "--out", data));
        Ok(CliHarness.Run(Train(data, model, 1)));
        string copy = folder.File("copy");
        Directory.CreateDirectory(copy);
        File.Copy(model, Path.Combine(copy, "m.safetensors"));  // new times, no ledger: not "Peakformer's" to --force,
        File.Copy(TrainState.PathFor(model), TrainState.PathFor(Path.Combine(copy, "m.safetensors"))); // but a run to resume
        Ok(CliHarness.Run(Train(data, Path.Combine(copy, "m.safetensors"), 3, "--resume")));
        Assert.Equal(3, JsonSerializer.Deserialize<TrainState>(SafeTensorsFile.Read(TrainState.PathFor(Path.Combine(copy, "m.safetensors"))).Metadata["train_state"])!.Epoch);
    }

    [Fact]
    public void Resuming_with_other_settings_is_refused_naming_them()
    {
        using var folder = new TempFolder();
        string data = folder.File("train.npz"), model = folder.File("m.safetensors");
        Ok(CliHarness.Run("simulate", "--events", "24", "--seed", "3", "--out", data));
        Ok(CliHarness.Run(Train(data, model, 1, "--seed", "1")));
        byte[] before = File.ReadAllBytes(model);
        string error = Hostile.Bounded.CleanError(Train(data, model, 2, "--resume", "--seed", "2"));
        Assert.Contains("the run started with Seed 1 (now 2); resume with the settings it started with (only --epochs may change)", error);
        Assert.Equal(before, File.ReadAllBytes(model));
        Ok(CliHarness.Run(Train(data, model, 2, "--resume", "--seed", "1")));
    }

    [Fact]
    public void An_existing_state_is_not_overwritten_without_force_or_resume()
    {
        using var folder = new TempFolder();
        string data = folder.File("train.npz");
        Ok(CliHarness.Run("simulate", "--events", "24", "--seed", "3", "--out", data));
        string model = folder.File("m.safetensors");
        Ok(CliHarness.Run(Train(data, model, 1)));
        File.Delete(model); // an earlier run's state without its checkpoint
        byte[] earlier = File.ReadAllBytes(TrainState.PathFor(model));
        var (exit, _, error) = CliHarness.Run(Train(data, model, 1));
        Assert.Equal(1, exit);
        Assert.Equal($"error: {TrainState.PathFor(model)}: the training state of an earlier run is there (continue it with --resume, or start over with --force)", error.Trim());
        Assert.Equal(earlier, File.ReadAllBytes(TrainState.PathFor(model)));
        Ok(CliHarness.Run(Train(data, model, 1, "--force")));
        Assert.True(File.Exists(model));
    }
}
