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

        // Two files: each row names its file; the rows of each file are the single-file rows.
        string f32 = GoldenFiles.Path("wf_f32.npz"), h5 = GoldenFiles.Path("wf_f32.h5");
        var both = Predict($"{f32},{h5}").TrimEnd('\n').Split('\n');
        Assert.Equal("file,event,sample,time_ns,score", both[0]);
        var rows = reference.TrimEnd('\n').Split('\n')[1..];
        Assert.Equal(rows.Select(r => $"{f32},{r}").Concat(rows.Select(r => $"{h5},{r}")), both[1..]);
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
    }
}
