using System.Text.RegularExpressions;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Reports;

/// <summary><c>show</c>: one panel per finder, on one time axis, with truth in each panel or 'truth: none'.</summary>
public class ShowFigureTests
{
    private static int Panels(string svg) => Regex.Matches(svg, "<svg class=\"panel\"").Count;

    private static List<string> XTicksOfPanel(string svg, int panel) =>
        Regex.Matches(svg.Split("<svg class=\"panel\"")[panel + 1], "<text class=\"x-tick\"[^>]*>([^<]*)</text>").Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public void Each_finder_gets_a_panel_with_the_truth_on_one_time_axis()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "5", "--seed", "3", "--out", folder.File("d.npz")).Exit);
        var (exit, _, error) = CliHarness.Run("show", "--in", folder.File("d.npz"), "--event", "2", "--model", "deriv,d2", "--model", "deriv:1,1,1,1",
            "--from-ns", "40", "--to-ns", "300", "--out", folder.File("w.svg"));
        Assert.True(exit == 0, error);
        string svg = File.ReadAllText(folder.File("w.svg"));
        Assert.Equal(3, Panels(svg));
        Assert.Equal(3, Regex.Matches(svg, "truth primary electrons").Count);
        Assert.Contains(">DERIV: ", svg);
        Assert.Contains(">D2: ", svg);
        Assert.Single(Regex.Matches(svg, ">time \\[ns\\]<")); // the shared axis is labelled once, at the bottom
        Assert.Equal(3, Regex.Matches(svg, "amplitude \\[a\\.u\\., 1 e⁻ = 0\\.5\\]").Count);
        var first = XTicksOfPanel(svg, 0);
        Assert.Equal(["50", "100", "150", "200", "250", "300"], first);
        Assert.Equal(first, XTicksOfPanel(svg, 2));
    }

    [Fact]
    public void Deriv_and_d2_panels_get_the_classical_input_check()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "5", "--seed", "3", "--out", folder.File("d.npz")).Exit);
        // Positive pulses read with --invert point down: the check says so, as count and predict do.
        var (exit, output, error) = CliHarness.Run("show", "--in", folder.File("d.npz"), "--invert", "--model", "deriv", "--out", folder.File("w.svg"));
        Assert.True(exit == 0, error);
        Assert.Contains("pulses look negative", output + error);
    }

    [Fact]
    public void Files_without_truth_say_so_in_every_panel()
    {
        using var folder = new TempFolder();
        var (exit, _, error) = CliHarness.Run("show", "--in", GoldenFiles.Path("wf.csv"), "--csv-columns", "event", "--sampling-ns", "0.5", "--event", "1",
            "--model", "d2", "--model", "deriv", "--out", folder.File("w.svg"));
        Assert.True(exit == 0, error);
        string svg = File.ReadAllText(folder.File("w.svg"));
        Assert.Equal(2, Panels(svg));
        Assert.Equal(2, Regex.Matches(svg, ">truth: none<").Count);
        Assert.DoesNotContain("truth primary", svg);
    }

    [Fact]
    public void Without_finders_one_panel_and_truth_is_not_a_finder()
    {
        using var folder = new TempFolder();
        Assert.Equal(0, CliHarness.Run("simulate", "--events", "3", "--out", folder.File("d.npz")).Exit);
        Assert.Equal(0, CliHarness.Run("show", "--in", folder.File("d.npz"), "--out", folder.File("w.svg")).Exit);
        Assert.Equal(1, Panels(File.ReadAllText(folder.File("w.svg"))));
        var (exit, _, error) = CliHarness.Run("show", "--in", folder.File("d.npz"), "--model", "truth", "--out", folder.File("t.svg"));
        Assert.Equal(1, exit);
        Assert.Contains("--model: expected deriv, d2", error);
        Assert.False(File.Exists(folder.File("t.svg")));
    }

    /// <summary>The amplitude axis label of every panel of a <c>show</c> figure (one unit for all).</summary>
    private static string AmplitudeLabel(string svg)
    {
        var labels = Regex.Matches(svg, ">amplitude \\[([^<]*)\\]<").Select(m => m.Groups[1].Value).Distinct().ToList();
        return Assert.Single(labels);
    }

    [Fact]
    public void The_amplitude_axis_carries_the_unit_the_data_was_read_in()
    {
        using var folder = new TempFolder();
        // int16 ADC counts without pedestal or gain arrays: 100 counts per model unit over a pedestal of 50.
        string adc = folder.File("adc.npz");
        using (var f32 = Peakformer.Data.Waveforms.WaveformDataset.Open(GoldenFiles.Path("wf_f32.npz")))
        {
            var counts = f32.ReadWaveforms(0, f32.Count).Select(x => (short)Math.Round(50 + 100 * x)).ToArray();
            using var npz = new Peakformer.Data.Npy.NpzWriter(adc);
            npz.Add("waveforms", new Peakformer.Data.Npy.NpyArray(Peakformer.Data.Npy.NpyType.Int16, [f32.Count, f32.Samples], counts));
            npz.Commit();
        }
        string Label(string data, params string[] options)
        {
            string svg = folder.File($"{Guid.NewGuid():N}.svg");
            var (exit, _, error) = CliHarness.Run(["show", "--in", data, "--event", "1", "--model", "deriv", "--out", svg, .. options]);
            Assert.True(exit == 0, error);
            return AmplitudeLabel(File.ReadAllText(svg));
        }
        Assert.Equal("a.u., 1 e⁻ = 0.5", Label(GoldenFiles.Path("wf_f32.npz")));
        Assert.Equal("ADC counts", Label(adc));
        Assert.Equal("a.u., 1 e⁻ = 0.5", Label(adc, "--gain", "0.01", "--pedestal", "50"));
        Assert.Equal("a.u., 1 e⁻ = 0.5", Label(adc, "--gain", "0.01"));
        Assert.Equal("ADC counts - pedestal", Label(adc, "--pedestal", "50"));
        Assert.Equal("-(ADC counts)", Label(adc, "--invert"));
        // The file's own pedestal and gain arrays convert as options do; a CSV's numbers are the model's unit.
        Assert.Equal("a.u., 1 e⁻ = 0.5", Label(GoldenFiles.Path("wf_i16.npz")));
        Assert.Equal("a.u., 1 e⁻ = 0.5", Label(GoldenFiles.Path("wf.csv"), "--csv-columns", "event"));
        Assert.Equal("ADC counts", Label(GoldenFiles.Path("wf_u16.npy")));
        // Files read to different units share no axis, and the label says so.
        Assert.Equal("mixed: a.u., 1 e⁻ = 0.5 / ADC counts", Label($"{GoldenFiles.Path("wf_f32.npz")},{adc}"));
    }
}

