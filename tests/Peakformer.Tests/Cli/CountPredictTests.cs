using System.Globalization;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>
/// <c>predict</c> with a count model or deriv/d2 writes file,event,n_clusters without truth; each count equals the
/// count the truth path (<c>count</c>'s counters on a batch read with truth) gives the same waveform.
/// </summary>
public class CountPredictTests(CountCommandTests.Trained t) : IClassFixture<CountCommandTests.Trained>
{
    private (string Csv, string Output, string Error) Predict(string model, string data, params string[] extra)
    {
        string output = t.Folder.File($"counts-{Guid.NewGuid():N}.csv");
        var r = CliHarness.Run(["predict", "--model", model, "--data", data, "--out", output, .. extra]);
        Assert.True(r.Exit == 0, r.Error + r.Output);
        return (File.ReadAllText(output), r.Output, r.Error);
    }

    private static double[] Counts(string csv)
    {
        var lines = csv.TrimEnd('\n').Split('\n');
        Assert.Equal("file,event,n_clusters", lines[0]);
        return lines[1..].Select(l => double.Parse(l.Split(',')[^1], CultureInfo.InvariantCulture)).ToArray();
    }

    private double[] TruthPath(ICounter counter)
    {
        using var data = WaveformDataset.Open(t.Test);
        return counter.Count(WaveformBatch.Read(data, 0, data.Count));
    }

    [Fact]
    public void Truth_free_counts_equal_the_truth_path_counts_for_every_counter()
    {
        Assert.Equal(TruthPath(ModelCounter.Load(t.Count)), Counts(Predict(t.Count, t.Test).Csv));
        Assert.Equal(TruthPath(ModelCounter.Load(t.OneStep)), Counts(Predict(t.OneStep, t.Test).Csv));
        var deriv = new ClusterCounter(PeakSource.Classical(ClassicalTuning.Typical("deriv", 0.5)));
        var counts = Counts(Predict("deriv", t.Test).Csv);
        Assert.Equal(TruthPath(deriv), counts);
        Assert.True(counts.Average() > 5, string.Join(",", counts)); // clusters are found, not zeros
        var rows = Predict(t.Count, t.Test).Csv.Split('\n');
        Assert.Equal($"{t.Test},0", string.Join(',', rows[1].Split(',')[..2]));
    }

    [Fact]
    public void The_peaks_file_clusterised_by_hand_gives_the_counts()
    {
        string peaks = t.Folder.File($"peaks-{Guid.NewGuid():N}.csv");
        var counts = Counts(Predict("d2", t.Test, "--peaks", peaks).Csv);
        double crossing;
        using (var data = WaveformDataset.Open(t.Test)) crossing = data.CrossingNs;
        var lines = File.ReadAllLines(peaks);
        Assert.Equal("file,event,sample,time_ns,score", lines[0]);
        var byEvent = lines[1..].Select(l => l.Split(',')).GroupBy(f => int.Parse(f[1]), f => double.Parse(f[3], CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.ToList());
        for (int e = 0; e < counts.Length; e++)
        {
            // Clusterisation written out: a peak within 0.23 sqrt(t - crossing) ns of its cluster's first peak joins it.
            int clusters = 0;
            double first = double.NegativeInfinity;
            foreach (double time in byEvent.GetValueOrDefault(e, []))
                if (clusters == 0 || time - first > 0.23 * Math.Sqrt(Math.Max(time - crossing, 0))) (clusters, first) = (clusters + 1, time);
            Assert.Equal(clusters, counts[e]);
        }
    }

    [Fact]
    public void Counts_are_the_same_from_every_format()
    {
        var reference = Counts(Predict("deriv", GoldenFiles.Path("wf_f32.npz")).Csv);
        Assert.Equal(reference, Counts(Predict("deriv", GoldenFiles.Path("wf_f64.npz")).Csv));
        Assert.Equal(reference, Counts(Predict("deriv", GoldenFiles.Path("wf_i16.npz")).Csv));
        Assert.Equal(reference, Counts(Predict("deriv", GoldenFiles.Path("wf_f32.h5")).Csv));
        Assert.Equal(reference, Counts(Predict("deriv", GoldenFiles.Path("wf.csv"), "--csv-columns", "event").Csv));
    }

    [Fact]
    public void Another_sampling_interval_is_an_error_with_both_numbers()
    {
        string output = t.Folder.File("never.csv");
        var r = CliHarness.Run("predict", "--model", t.Count, "--data", t.Test, "--out", output, "--sampling-ns", "1");
        Assert.Equal(1, r.Exit);
        Assert.Contains("sampled every 1 ns, the model", r.Error);
        Assert.Contains("was trained on 0.5 ns", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Adc_counts_fed_to_a_model_trained_in_simulator_units_are_warned_about_with_numbers()
    {
        // The int16 golden file read with gain 1: raw ADC counts, a pedestal near 200 and amplitudes 256 times the model's.
        var (_, output, error) = Predict(t.Count, GoldenFiles.Path("wf_i16.npz"), "--gain", "1", "--pedestal", "0");
        string text = output + error;
        Assert.Contains("input vs training", text);
        Assert.Contains("warning:", text);
        Assert.Matches(@"baseline 2\d\d(\.\d+)?, training -?\d", text);
        Assert.Matches(@"noise rms \d+(\.\d+)?, training 0\.0\d+ \(\d{3}(\.\d+)? times\)", text);
        Assert.Contains("--pedestal", text);
        Assert.Contains("--gain", text);
        // Read as calibrated: the same noise and baseline as training, no warning (only three waveforms, so peak amplitudes may differ).
        var calibrated = Predict(t.Count, GoldenFiles.Path("wf_i16.npz"));
        Assert.Contains("input vs training", calibrated.Output);
        Assert.DoesNotContain("warning:", calibrated.Output + calibrated.Error);
    }

    [Fact]
    public void A_checkpoint_without_conventions_still_loads_and_says_it_assumes_the_simulators()
    {
        var (model, info, peakModel) = CountCheckpoint.Load(t.Count);
        Assert.NotNull(info.Input);
        Assert.Equal(1200, info.Input!.Samples);
        string old = t.Folder.File("old-count.safetensors");
        CountCheckpoint.Save(old, model, info with { Input = null }, peakModel);
        var (csv, output, _) = Predict(old, t.Test);
        Assert.Contains("no training-data conventions recorded", output);
        Assert.Equal(Counts(Predict(t.Count, t.Test).Csv), Counts(csv));
    }

    [Fact]
    public void Peaks_of_the_one_step_counter_are_a_one_line_error()
    {
        string output = t.Folder.File("never2.csv");
        var r = CliHarness.Run("predict", "--model", t.OneStep, "--data", t.Test, "--out", output, "--peaks", t.Folder.File("never3.csv"));
        Assert.Equal(1, r.Exit);
        Assert.Contains("--peaks: one-step counter counts from the raw waveform", r.Error);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Count_on_data_without_truth_writes_every_methods_count_per_waveform()
    {
        string folder = t.Folder.File($"count-{Guid.NewGuid():N}"), data = GoldenFiles.Path("wf_f32.h5");
        var r = CliHarness.Run("count", "--data", data, "--models", t.Count, "--out", folder);
        Assert.True(r.Exit == 0, r.Error + r.Output);
        var lines = File.ReadAllLines(Path.Combine(folder, "counts.csv"));
        Assert.Equal("file,event,DERIV + clusterisation,D2 + clusterisation,count transformer on DERIV", lines[0]);
        Assert.Equal(4, lines.Length);
        string Column(int k) => string.Join("\n", lines[1..].Select(l => l.Split(',')[k]));
        string ByPredict(string model) => string.Join("\n", Predict(model, data).Csv.TrimEnd('\n').Split('\n')[1..].Select(l => l.Split(',')[2]));
        Assert.Equal(ByPredict("deriv"), Column(2));
        Assert.Equal(ByPredict("d2"), Column(3));
        Assert.Equal(ByPredict(t.Count), Column(4));
    }

    /// <summary>
    /// A copy of the test waveforms times <paramref name="gain"/>, without the config (so no trigger time: both copies
    /// measure drift from the record's start). A power-of-two gain keeps every step of the normalisation exact, so a
    /// normalised copy reads bit for bit like the normalised original (closed form: the baseline and the robust noise
    /// scale with the gain, and (g x - g b) * t / (g n) = (x - b) * t / n).
    /// </summary>
    private string Scaled(float gain)
    {
        string path = t.Folder.File($"scaled-{gain}-{Guid.NewGuid():N}.npz");
        using var data = WaveformDataset.Open(t.Test);
        var w = data.ReadWaveforms(0, data.Count).Select(x => x * gain).ToArray();
        using var npz = new Peakformer.Data.Npy.NpzWriter(path);
        npz.Add("waveforms", new Peakformer.Data.Npy.NpyArray(Peakformer.Data.Npy.NpyType.Float32, [data.Count, data.Samples], w));
        npz.Commit();
        return path;
    }

    [Fact]
    public void Normalise_makes_count_models_blind_to_a_gain_in_predict_count_and_dndx()
    {
        string plain = Scaled(1), quadrupled = Scaled(4);
        foreach (var model in new[] { t.Count, t.OneStep })
        {
            var reference = Counts(Predict(model, plain, "--normalise").Csv);
            Assert.Equal(reference, Counts(Predict(model, quadrupled, "--normalise").Csv));
            // Without it the gain moves the counts: the test can fail.
            Assert.NotEqual(Counts(Predict(model, plain).Csv), Counts(Predict(model, quadrupled).Csv));
        }
        var counts = Counts(Predict(t.Count, plain, "--normalise").Csv);

        // count without truth: the model's column is the same count.
        string folder = t.Folder.File($"count-{Guid.NewGuid():N}");
        var r = CliHarness.Run("count", "--data", quadrupled, "--models", t.Count, "--classical", "deriv:8,1,0.1,0.1", "--normalise", "--out", folder);
        Assert.True(r.Exit == 0, r.Error + r.Output);
        var table = File.ReadAllLines(Path.Combine(folder, "counts.csv"));
        int column = Array.FindIndex(table[0].Split(','), c => c.Contains("normalised"));
        Assert.True(column >= 2, table[0]);
        Assert.Equal(counts, table[1..].Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)).ToArray());
        Assert.Contains("--normalise: deriv:8,1,0.1,0.1 count the waveforms as read", r.Output + r.Error);

        // dndx --data: each track's clusters are the sum of its cells' normalised counts.
        string dndx = t.Folder.File($"dndx-{Guid.NewGuid():N}.csv");
        r = CliHarness.Run("dndx", "--data", quadrupled, "--method", t.Count, "--normalise", "--cells-per-track", "4", "--cell-length-cm", "1", "--out", dndx);
        Assert.True(r.Exit == 0, r.Error + r.Output);
        var tracks = File.ReadAllLines(dndx)[1..].Select(l => double.Parse(l.Split(',')[2], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(counts.Chunk(4).Select(c => c.Sum()).ToArray(), tracks, (a, b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a)));
        // dndx --counts has nothing to normalise; deriv is not a model.
        Assert.Contains("--normalise", CliHarness.Run("dndx", "--counts", dndx, "--normalise", "--cells-per-track", "4", "--cell-length-cm", "1", "--out", t.Folder.File("x.csv")).Error);
        Assert.Contains("--normalise: expected a model checkpoint", CliHarness.Run("predict", "--model", "deriv", "--data", plain, "--normalise", "--out", t.Folder.File("y.csv")).Error);
    }

    [Fact]
    public void A_checkpoint_trained_on_normalised_waveforms_is_normalised_without_asking()
    {
        // Older checkpoints (every one trained so far) carry no "normalised" key and load as not normalised.
        Assert.DoesNotContain("\"normalised\"", Peakformer.Engine.Checkpoints.Checkpoint.ReadHeader(t.Count).Metadata[CountCheckpoint.InfoKey]);
        string marked = t.Folder.File($"normalised-{Guid.NewGuid():N}.safetensors");
        var (model, info, carried) = CountCheckpoint.Load(t.Count);
        CountCheckpoint.Save(marked, model, info with { Input = info.Input! with { Normalised = true } }, carried);
        Assert.Contains("\"normalised\":true", Peakformer.Engine.Checkpoints.Checkpoint.ReadHeader(marked).Metadata[CountCheckpoint.InfoKey]);
        Assert.True(CountCheckpoint.Load(marked).Info.Input!.Normalised);

        string plain = Scaled(1), quadrupled = Scaled(4);
        var (csv, output, error) = Predict(marked, quadrupled);
        Assert.Equal(Counts(Predict(t.Count, plain, "--normalise").Csv), Counts(csv));
        Assert.Contains("its checkpoint records it", output + error);
    }

    [Fact]
    public void Count_training_refuses_a_peak_model_trained_on_normalised_waveforms()
    {
        // Count training feeds its peak model raw waveforms: a normalised one would see amplitudes it never learnt on.
        string marked = t.Folder.File($"normalised-window-{Guid.NewGuid():N}.safetensors");
        var (model, info) = PeakCheckpoint.Load(t.Window);
        PeakCheckpoint.Save(marked, model, info with { Input = info.Input! with { Normalised = true } });
        string output = t.Folder.File($"count-{Guid.NewGuid():N}.safetensors");
        var r = CliHarness.Run("train", "--task", "count", "--model", "transformer", "--peaks-from", marked, "--data", t.Train, "--epochs", "1", "--out", output);
        Assert.Equal(1, r.Exit);
        Assert.Contains("trained with --normalise", r.Error);
        Assert.False(File.Exists(output));
    }
}
