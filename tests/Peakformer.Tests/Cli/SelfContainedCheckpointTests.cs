using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Identification;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Checkpoints;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>
/// A count transformer trained on a peak model's peaks carries that peak model: copied alone to another folder, with
/// the peak model deleted, it counts exactly as before. Checkpoints written before (naming the file only) still load
/// while the file is there.
/// </summary>
public class SelfContainedCheckpointTests : IClassFixture<SelfContainedCheckpointTests.Trained>
{
    public sealed class Trained : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Train => Folder.File("train.npz");
        public string Test => Folder.File("test.npz");
        public string Window => Folder.File("window.safetensors");
        public string Count => Folder.File("count.safetensors");
        /// <summary>A copy of the peak model for the tests that need it after the original is deleted.</summary>
        public string WindowCopy => Folder.File("kept/window.safetensors");
        /// <summary>The counts of the test waveforms with every file in place.</summary>
        public double[] Before { get; }

        public Trained()
        {
            Check(CliHarness.Run("simulate", "--events", "120", "--seed", "1", "--out", Train));
            Check(CliHarness.Run("simulate", "--events", "30", "--seed", "2", "--out", Test));
            Check(CliHarness.Run("train", "--data", Train, "--out", Window, "--epochs", "1", "--lr", "1e-3", "--min-auc", "0",
                "--model-config", "{\"model\": 16, \"heads\": 2, \"layers\": 1, \"feed_forward\": 16, \"head_hidden\": 16}"));
            Check(CliHarness.Run("train", "--task", "count", "--data", Train, "--out", Count, "--peaks-from", Window, "--epochs", "2",
                "--model-config", "{\"model\": 16, \"feed_forward\": 16, \"dense\": 16}"));
            Directory.CreateDirectory(Folder.File("kept"));
            File.Copy(Window, WindowCopy);
            Before = Counts(Count, Test);
        }

        private static void Check((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

        public void Dispose() => Folder.Dispose();
    }

    private readonly Trained _t;

    public SelfContainedCheckpointTests(Trained trained) => _t = trained;

    private static double[] Counts(string countCheckpoint, string data)
    {
        using var dataset = WaveformDataset.Open(data);
        return ModelCounter.Load(countCheckpoint).Count(WaveformBatch.Read(dataset, 0, dataset.Count));
    }

    [Fact]
    public void A_count_checkpoint_copied_alone_counts_the_same_after_its_peak_model_is_deleted()
    {
        using var elsewhere = new TempFolder();
        string copy = elsewhere.File("count.safetensors");
        File.Copy(_t.Count, copy);
        File.Delete(_t.Window);

        Assert.Equal(_t.Before, Counts(copy, _t.Test));
        var (exit, output, error) = CliHarness.Run("count", "--data", _t.Test, "--models", copy, "--classical", "", "--no-truth-peaks",
            "--out", elsewhere.File("report"));
        Assert.True(exit == 0, error);
        Assert.Contains("count transformer on window transformer", output);
        Assert.IsType<ModelCounter>(new PidMethods(0.5, 0.5, null, 10).Create(copy));
    }

    [Fact]
    public void A_carried_peak_model_and_the_same_file_share_one_peak_source()
    {
        var sources = new PeakSources(0.5);
        var counter = ModelCounter.Load(_t.Count, sources);
        Assert.Same(counter.Source, sources.Get(_t.WindowCopy, PeakSource.DefaultMinAmplitudeSigma));
    }

    /// <summary>A count checkpoint as written before checkpoints carried their peak model: peaks_from names the file only.</summary>
    private string OldStyleCopy(string folder)
    {
        string old = Path.Combine(folder, "old.safetensors");
        var (tensors, metadata) = SafeTensorsFile.Read(_t.Count);
        Assert.Contains(tensors, t => t.Name.StartsWith("peak_model.", StringComparison.Ordinal));
        SafeTensorsFile.Write(old, tensors.Where(t => !t.Name.StartsWith("peak_model.", StringComparison.Ordinal)),
            metadata.Where(m => !m.Key.StartsWith("peak_model.", StringComparison.Ordinal)).ToDictionary());
        return old;
    }

    [Fact]
    public void An_old_count_checkpoint_loads_while_its_peak_model_is_there_and_names_the_file_and_the_fix_when_not()
    {
        using var beside = new TempFolder();
        File.Copy(_t.WindowCopy, beside.File("window.safetensors"));
        string old = OldStyleCopy(beside.Path);
        Assert.Equal(_t.Before, Counts(old, _t.Test));

        File.Delete(beside.File("window.safetensors"));
        var e = Assert.Throws<InputException>(() => ModelCounter.Load(old));
        Assert.Equal($"{old}: the peak model it reads its peaks from, {beside.File("window.safetensors")} (peaks_from 'window.safetensors'), is not there: " +
            "put that file back (paths are relative to the count checkpoint's folder), or train the count model again, which then carries its peak model inside",
            e.Message);
    }

    [Fact]
    public void A_carried_peak_model_is_loaded_strictly()
    {
        using var folder = new TempFolder();
        string bad = folder.File("bad.safetensors");
        var (tensors, metadata) = SafeTensorsFile.Read(_t.Count);
        SafeTensorsFile.Write(bad, tensors.Where(t => t.Name != "peak_model.embedding.weight"), metadata);
        var e = Assert.Throws<SafeTensorsException>(() => CountCheckpoint.Load(bad));
        Assert.Equal($"{bad} (peak_model): checkpoint does not match the model: missing embedding.weight.", e.Message);

        string stray = folder.File("stray.safetensors");
        SafeTensorsFile.Write(stray, tensors, metadata.Where(m => !m.Key.StartsWith("peak_model.", StringComparison.Ordinal)).ToDictionary());
        e = Assert.Throws<SafeTensorsException>(() => CountCheckpoint.Load(stray));
        Assert.StartsWith($"{stray}: checkpoint does not match the model: unexpected peak_model.", e.Message);
    }
}
