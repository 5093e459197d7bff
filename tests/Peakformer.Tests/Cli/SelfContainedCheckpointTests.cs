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
        /// <summary>
        /// The counts of the test waveforms from the peak model FILE (a path-only count checkpoint beside it, which
        /// cannot use a carried copy): what the carried model must reproduce.
        /// </summary>
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
            Before = Counts(OldStyleCopy(Count, Folder.Path), Test);
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

        var counter = ModelCounter.Load(copy);
        // The source can only be the carried model: the file it names, beside the copy, is not there.
        Assert.Equal(elsewhere.File("window.safetensors"), counter.Source!.ModelFile);
        Assert.False(File.Exists(counter.Source.ModelFile));
        Assert.False(File.Exists(_t.Window));
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
    private static string OldStyleCopy(string count, string folder)
    {
        string old = Path.Combine(folder, "old.safetensors");
        var (tensors, metadata) = SafeTensorsFile.Read(count);
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
        string old = OldStyleCopy(_t.Count, beside.Path);
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

    [Fact]
    public void Count_checkpoints_copied_to_two_folders_name_their_peak_models_apart()
    {
        using var folder = new TempFolder();
        var sources = new List<PeakSource>();
        foreach (var run in new[] { "run1", "run2" })
        {
            Directory.CreateDirectory(folder.File(run));
            File.Copy(_t.Count, folder.File($"{run}/count.safetensors"));
            sources.Add(ModelCounter.Load(folder.File($"{run}/count.safetensors")).Source!);
        }
        Assert.Equal([folder.File("run1/window.safetensors"), folder.File("run2/window.safetensors")], sources.Select(s => s.ModelFile));
        Assert.Equal(["window transformer (run1/window.safetensors)", "window transformer (run2/window.safetensors)"],
            Peakformer.Learning.Models.ModelLabels.Distinct(sources.Select(s => (s.Name, s.ModelFile)).ToList()));
    }

    /// <summary>The count checkpoint with one __metadata__ value changed.</summary>
    private static string WithMetadata(string count, string file, string key, Func<string, string> change)
    {
        var (tensors, metadata) = SafeTensorsFile.Read(count);
        SafeTensorsFile.Write(file, tensors, metadata.ToDictionary(m => m.Key, m => m.Key == key ? change(m.Value) : m.Value));
        return file;
    }

    private static string Sha256(string file) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(file)));

    [Fact]
    public void The_file_hash_is_of_the_bytes_read_and_sharing_follows_the_content_not_the_stored_hash()
    {
        Assert.Equal(Sha256(_t.WindowCopy), PeakSource.Model(_t.WindowCopy).Carried!.Sha256);
        Assert.Equal(Sha256(_t.WindowCopy), CountCheckpoint.Load(_t.Count).PeakModel!.Sha256);

        // Another peak model (one weight changed), whose file hash the count checkpoint falsely claims.
        using var folder = new TempFolder();
        string other = folder.File("other.safetensors");
        var (tensors, metadata) = SafeTensorsFile.Read(_t.WindowCopy);
        SafeTensorsFile.Write(other, tensors.Select((t, i) => i == 0 ? t with { Values = [t.Values[0] + 1, .. t.Values[1..]] } : t), metadata);
        string forged = WithMetadata(_t.Count, folder.File("forged.safetensors"), "peak_model.sha256", _ => Sha256(other));

        var sources = new PeakSources(0.5);
        var otherSource = sources.Get(other, PeakSource.DefaultMinAmplitudeSigma);
        var windowSource = sources.Get(_t.WindowCopy, PeakSource.DefaultMinAmplitudeSigma);
        Assert.NotSame(otherSource, windowSource);
        Assert.Same(windowSource, ModelCounter.Load(forged, sources).Source);
    }

    [Fact]
    public void A_stored_peak_model_hash_that_is_not_a_sha256_is_refused_naming_the_field()
    {
        using var folder = new TempFolder();
        string bad = WithMetadata(_t.Count, folder.File("bad.safetensors"), "peak_model.sha256", _ => "not-a-hash");
        var e = Assert.Throws<InputException>(() => CountCheckpoint.Load(bad));
        Assert.Equal($"{bad}: __metadata__.peak_model.sha256: expected 64 hexadecimal digits (the SHA-256 of the peak model's file), found 'not-a-hash'", e.Message);
    }

    [Fact]
    public void A_carried_peak_model_with_peaks_from_not_a_model_is_refused_naming_the_field()
    {
        using var folder = new TempFolder();
        string bad = WithMetadata(_t.Count, folder.File("bad.safetensors"), CountCheckpoint.InfoKey, json =>
        {
            var info = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
            info["peaks_from"] = "deriv";
            return info.ToJsonString();
        });
        var e = Assert.Throws<InputException>(() => ModelCounter.Load(bad));
        Assert.Equal($"{bad}: count_model_info.peaks_from: expected a peak-model checkpoint (MODEL.safetensors or MODEL.safetensors@THRESHOLD), " +
            "since the file carries a peak model, found 'deriv'", e.Message);
    }
}
