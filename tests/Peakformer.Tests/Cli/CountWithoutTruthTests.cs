using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Finders;
using Peakformer.Progress;
using Peakformer.Tests.Support;
using Peakformer.Workflows;

namespace Peakformer.Tests.Cli;

/// <summary>
/// <c>predict</c> and <c>count</c> on data without truth, with deriv/d2 only (no trained model): the ADC-count warning,
/// <c>--events</c>, <c>--threshold</c> and <c>--peaks</c> as one-line errors, and the two outputs of --peaks committed together.
/// </summary>
public class CountWithoutTruthTests
{
    private static string Golden(string name) => GoldenFiles.Path(name);

    [Fact]
    public void Count_with_deriv_only_warns_about_adc_counts_like_a_count_model_does()
    {
        using var folder = new TempFolder();
        var r = CliHarness.Run("count", "--data", Golden("wf_i16.npz"), "--gain", "1", "--pedestal", "0", "--classical", "deriv", "--out", folder.File("raw"));
        Assert.True(r.Exit == 0, r.Error + r.Output);
        string text = System.Text.RegularExpressions.Regex.Replace(r.Output + r.Error, @"\s+", " "); // the terminal wraps long lines
        Assert.Contains("input vs training", text);
        Assert.Matches(@"warning: .*noise rms \d+(\.\d+)?, training 0\.025", text);
        Assert.Contains("--gain", text);
        // Calibrated (the file's own pedestal and gain): no warning.
        var calibrated = CliHarness.Run("count", "--data", Golden("wf_i16.npz"), "--classical", "deriv", "--out", folder.File("calibrated"));
        Assert.True(calibrated.Exit == 0, calibrated.Error);
        Assert.DoesNotContain("warning:", calibrated.Output + calibrated.Error);
    }

    [Fact]
    public void Events_counts_the_first_waveforms_across_the_file_set()
    {
        using var folder = new TempFolder();
        string files = $"{Golden("wf_f32.npz")},{Golden("wf_f64.npz")}";
        var all = CliHarness.Run("predict", "--model", "deriv", "--data", files, "--out", folder.File("all.csv"));
        Assert.True(all.Exit == 0, all.Error);
        var allRows = File.ReadAllLines(folder.File("all.csv"));
        Assert.Equal(7, allRows.Length);
        var r = CliHarness.Run("predict", "--model", "deriv", "--data", files, "--out", folder.File("four.csv"), "--events", "4");
        Assert.True(r.Exit == 0, r.Error);
        Assert.Equal(allRows[..5], File.ReadAllLines(folder.File("four.csv"))); // crosses into the second file
        var c = CliHarness.Run("count", "--data", files, "--classical", "deriv,d2", "--events", "2", "--out", folder.File("report"));
        Assert.True(c.Exit == 0, c.Error);
        var counts = File.ReadAllLines(Path.Combine(folder.File("report"), "counts.csv"));
        Assert.Equal(3, counts.Length);
        Assert.Equal(allRows[1..3].Select(l => l.Split(',')[2]), counts[1..].Select(l => l.Split(',')[2]));
    }

    [Fact]
    public void Threshold_and_events_where_they_mean_nothing_are_one_line_errors()
    {
        using var folder = new TempFolder();
        var r = CliHarness.Run("predict", "--model", "deriv", "--data", Golden("wf_f32.npz"), "--out", folder.File("x.csv"), "--threshold", "0.5");
        Assert.Equal(1, r.Exit);
        Assert.Contains("--threshold: expected no threshold for cluster counts", r.Error);
        Assert.Contains("deriv:N1,N2,N3,N4", r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.False(File.Exists(folder.File("x.csv")));
    }

    [Fact]
    public void Peaks_with_no_or_several_counters_is_a_clear_error()
    {
        using var folder = new TempFolder();
        using var data = WaveformDataset.Open(Golden("wf_f32.npz"));
        var deriv = new ClusterCounter(PeakSource.Classical(ClassicalTuning.Typical("deriv", data.SamplingNs)));
        foreach (var counters in new[] { Array.Empty<ICounter>(), [deriv, deriv] })
        {
            var e = Assert.Throws<InputException>(() => CountTable.Write(data, counters, counters.Select(c => c.Name).ToList(),
                folder.File("c.csv"), folder.File("p.csv"), NullProgress.Instance));
            Assert.Contains($"--peaks: expected one counting method (its peaks are the list), found {counters.Length}", e.Message);
        }
        Assert.False(File.Exists(folder.File("c.csv")));
        Assert.False(File.Exists(folder.File("p.csv")));
    }

    /// <summary>Progress that writes into the counts output while counting: the counts file then fails its last check.</summary>
    private sealed class Intruder(string path) : IProgressReporter, IProgressTask
    {
        public IProgressTask Start(string description, long total, string unit) => this;
        public void Note(string message) { }
        public void Advance(long units, string? detail = null) => File.WriteAllText(path, "someone else's file");
        public void Dispose() { }
    }

    [Fact]
    public void Counts_and_peaks_appear_together_or_neither_does()
    {
        using var folder = new TempFolder();
        using var data = WaveformDataset.Open(Golden("wf_f32.npz"));
        string counts = folder.File("c.csv"), peaks = folder.File("p.csv");
        var counter = new ClusterCounter(PeakSource.Classical(ClassicalTuning.Typical("deriv", data.SamplingNs)));
        Assert.Throws<IOException>(() => CountTable.Write(data, [counter], ["n_clusters"], counts, peaks, new Intruder(counts)));
        Assert.False(File.Exists(peaks));
        Assert.Equal("someone else's file", File.ReadAllText(counts));
    }

    [Fact]
    public void Negative_pulses_are_warned_about_and_invert_reads_them_as_positive()
    {
        using var folder = new TempFolder();
        string data = Golden("wf_f32.npz");
        var plain = CliHarness.Run("predict", "--model", "deriv", "--data", data, "--out", folder.File("plain.csv"));
        Assert.True(plain.Exit == 0, plain.Error);
        // A gain of -1 turns the file's pulses down, as a chamber reading negative pulses writes them.
        var negative = CliHarness.Run("predict", "--model", "deriv", "--data", data, "--gain", "-1", "--out", folder.File("negative.csv"));
        Assert.True(negative.Exit == 0, negative.Error);
        Assert.Matches(@"warning: .*pulses look negative \(median dip 0\.\d+ below the baseline, median peak 0\.\d+ above\): give --invert",
            System.Text.RegularExpressions.Regex.Replace(negative.Output + negative.Error, @"\s+", " ")); // the terminal wraps long lines
        Assert.DoesNotContain("negative", plain.Output + plain.Error);
        var inverted = CliHarness.Run("predict", "--model", "deriv", "--data", data, "--gain", "-1", "--invert", "--out", folder.File("inverted.csv"));
        Assert.True(inverted.Exit == 0, inverted.Error);
        Assert.DoesNotContain("negative", inverted.Output + inverted.Error);
        Assert.Equal(File.ReadAllText(folder.File("plain.csv")), File.ReadAllText(folder.File("inverted.csv")));
    }
}
