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
}
