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
}
