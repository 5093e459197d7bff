using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>
/// <c>predict</c> on the same waveforms in every format (written by NumPy/h5py, tools/golden/make_waveform_formats.py)
/// writes the same peaks as on the float32 .npz; several files at once add a file column.
/// </summary>
public class WaveformFormatPredictTests(PeakCommandTests.Trained t) : IClassFixture<PeakCommandTests.Trained>
{
    private string Predict(string name, params string[] extra)
    {
        string output = t.Folder.File($"peaks-{Guid.NewGuid():N}.csv");
        var r = CliHarness.Run(["predict", "--model", t.PerBin, "--data", name, "--out", output, "--threshold", "0.3", .. extra]);
        Assert.True(r.Exit == 0, r.Error + r.Output);
        return File.ReadAllText(output);
    }

    [Fact]
    public void Predict_gives_the_same_peaks_from_every_format()
    {
        string reference = Predict(GoldenFiles.Path("wf_f32.npz"));
        Assert.StartsWith("event,sample,time_ns,score\n", reference);
        Assert.True(reference.Split('\n').Length > 3, reference); // the set has pulses: peaks must be found
        Assert.Equal(reference, Predict(GoldenFiles.Path("wf_f64.npz")));
        Assert.Equal(reference, Predict(GoldenFiles.Path("wf_i16.npz")));
        Assert.Equal(reference, Predict(GoldenFiles.Path("wf_f32.h5")));
        Assert.Equal(reference, Predict(GoldenFiles.Path("wf_adc.h5"), "--map", "waveforms=/adc/samples,pedestal=/calib/pedestal,gain=/calib/gain,sampling_ns=/meta/dt"));
        Assert.Equal(reference, Predict(GoldenFiles.Path("wf.csv"), "--csv-columns", "event"));
        Assert.Equal(reference, Predict(GoldenFiles.Path("wf_f32.parquet")));
        Assert.Equal(reference, Predict(GoldenFiles.Path("wf_adc.parquet"), "--map", "waveforms=adc"));

        // Two files: each row names its file; the rows of each file are the single-file rows.
        string f32 = GoldenFiles.Path("wf_f32.npz"), h5 = GoldenFiles.Path("wf_f32.h5");
        var both = Predict($"{f32},{h5}").TrimEnd('\n').Split('\n');
        Assert.Equal("file,event,sample,time_ns,score", both[0]);
        var rows = reference.TrimEnd('\n').Split('\n')[1..];
        Assert.Equal(rows.Select(r => $"{f32},{r}").Concat(rows.Select(r => $"{h5},{r}")), both[1..]);
    }

    /// <summary>predict's count table (file,event,n_clusters) without its file column, which names each input.</summary>
    private string Counts(string method, string name, params string[] extra)
    {
        string output = t.Folder.File($"counts-{Guid.NewGuid():N}.csv");
        var r = CliHarness.Run(["predict", "--model", method, "--data", name, "--out", output, .. extra]);
        Assert.True(r.Exit == 0, r.Error + r.Output);
        var lines = File.ReadAllLines(output);
        Assert.Equal("file,event,n_clusters", lines[0]);
        Assert.All(lines[1..], l => Assert.StartsWith(name + ",", l));
        return string.Join('\n', lines[1..].Select(l => l[(name.Length + 1)..]));
    }

    [Theory]
    [InlineData("deriv")]
    [InlineData("d2")]
    public void Counts_are_identical_from_every_format_and_writer(string method)
    {
        // NumPy, h5py, a CSV and parquet-wasm each wrote the same waveforms (tools/golden): the counts must not depend
        // on which library wrote the file or in which type.
        string reference = Counts(method, GoldenFiles.Path("wf_f32.npz"));
        Assert.Equal("0,", reference[..2]);
        Assert.Contains(reference.Split('\n'), row => double.Parse(row.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture) >= 3); // clusters are found, not zeros
        Assert.Equal(reference, Counts(method, GoldenFiles.Path("wf_f64.npz")));
        Assert.Equal(reference, Counts(method, GoldenFiles.Path("wf_i16.npz")));
        Assert.Equal(reference, Counts(method, GoldenFiles.Path("wf_f32.h5")));
        Assert.Equal(reference, Counts(method, GoldenFiles.Path("wf_adc.h5"), "--map", "waveforms=/adc/samples,pedestal=/calib/pedestal,gain=/calib/gain,sampling_ns=/meta/dt"));
        Assert.Equal(reference, Counts(method, GoldenFiles.Path("wf.csv"), "--csv-columns", "event"));
        Assert.Equal(reference, Counts(method, GoldenFiles.Path("wf_f32.parquet")));
        Assert.Equal(reference, Counts(method, GoldenFiles.Path("wf_adc.parquet"), "--map", "waveforms=adc"));
        // The bare uint16 .npy has no per-waveform pedestal: with one pedestal and gain given as options it counts as
        // the int16 .npz does under the same options (which replace that file's arrays).
        string[] options = ["--pedestal", "200", "--gain", "0.00390625", "--sampling-ns", "0.5"];
        Assert.Equal(Counts(method, GoldenFiles.Path("wf_i16.npz"), options), Counts(method, GoldenFiles.Path("wf_u16.npy"), options));
    }

    [Fact]
    public void Bad_waveform_options_are_one_line_errors()
    {
        string output = t.Folder.File("never.csv");
        var r = CliHarness.Run("predict", "--model", t.PerBin, "--data", GoldenFiles.Path("wf_i16.npz"), "--out", output, "--gain", "0");
        Assert.Equal(1, r.Exit);
        Assert.Contains("--gain: expected a finite, non-zero amplitude per ADC count, found 0", r.Error);
        r = CliHarness.Run("predict", "--model", t.PerBin, "--data", GoldenFiles.Path("wf_f32.npz"), "--out", output, "--map", "adc=/x");
        Assert.Equal(1, r.Exit);
        Assert.Contains("--map: expected one of waveforms", r.Error);
        Assert.False(File.Exists(output));
        // A Parquet file cut short: exit 1, one line naming it, no output begun.
        byte[] golden = File.ReadAllBytes(GoldenFiles.Path("wf_f32.parquet"));
        string cut = t.Folder.File("cut.parquet");
        File.WriteAllBytes(cut, golden[..(golden.Length - 100)]);
        r = CliHarness.Run("predict", "--model", "deriv", "--data", cut, "--out", output);
        Assert.Equal(1, r.Exit);
        Assert.Contains("cut.parquet: not a readable Parquet file or column, or truncated", r.Error);
        Assert.False(File.Exists(output));
    }
}
