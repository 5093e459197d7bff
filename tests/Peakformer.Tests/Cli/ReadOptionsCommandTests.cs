using System.Globalization;
using System.Text.Json;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Cli;

/// <summary>
/// The waveform reading options (--pedestal, --gain, --sampling-ns, --map, --csv-columns, --csv-header, --invert) on
/// <c>windows</c>, <c>evaluate</c> and <c>train</c>; a command that needs truth says which array is missing in one line.
/// </summary>
public class ReadOptionsCommandTests : IClassFixture<ReadOptionsCommandTests.Simulated>
{
    public sealed class Simulated : IDisposable
    {
        public TempFolder Folder { get; } = new();
        public string Data => Folder.File("sim.npz");

        public Simulated() => Assert.Equal(0, CliHarness.Run("simulate", "--events", "12", "--seed", "5", "--out", Data).Exit);

        public void Dispose() => Folder.Dispose();
    }

    private readonly Simulated _s;

    public ReadOptionsCommandTests(Simulated s) => _s = s;

    private string Ok(params string[] args)
    {
        var r = CliHarness.Run(args);
        Assert.True(r.Exit == 0, r.Error + r.Output);
        return r.Output + r.Error;
    }

    [Fact]
    public void Windows_applies_the_gain_to_every_window_value()
    {
        string plain = _s.Folder.File("w1.csv"), doubled = _s.Folder.File("w2.csv");
        Ok("windows", "--in", _s.Data, "--out", plain);
        Ok("windows", "--in", _s.Data, "--out", doubled, "--gain", "2");
        var a = File.ReadAllLines(plain);
        var b = File.ReadAllLines(doubled);
        Assert.Equal(a[0], b[0]);
        Assert.Equal(a.Length, b.Length);
        Assert.True(a.Length > 10);
        for (int r = 1; r < a.Length; r++)
        {
            var x = a[r].Split(',');
            var y = b[r].Split(',');
            Assert.Equal(x[..2], y[..2]); // EvtNo, ID
            for (int c = 5; c < x.Length; c++) // mean-subtracted samples, written to 8 or 9 digits
            {
                double v = 2 * double.Parse(x[c], CultureInfo.InvariantCulture);
                Assert.Equal(v, double.Parse(y[c], CultureInfo.InvariantCulture), 1e-7 * Math.Abs(v) + 1e-12);
            }
        }
    }

    [Fact]
    public void Evaluate_reads_with_the_options()
    {
        string plain = _s.Folder.File("e1"), flipped = _s.Folder.File("e2");
        Ok("evaluate", "--data", _s.Data, "--out", plain);
        // Pulses turned down by a gain of -1 and up again by --invert: the same evaluation.
        Ok("evaluate", "--data", _s.Data, "--out", flipped, "--gain", "-1", "--invert");
        static string Metrics(string folder)
        {
            var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "metrics.json")));
            return string.Join("\n", json.RootElement.EnumerateObject().Where(p => p.Name != "seconds").Select(p => $"{p.Name}={p.Value.GetRawText()}"));
        }
        Assert.Equal(Metrics(plain), Metrics(flipped));
        var down = CliHarness.Run("evaluate", "--data", _s.Data, "--out", _s.Folder.File("e3"), "--gain", "-1");
        Assert.Equal(0, down.Exit);
        Assert.NotEqual(Metrics(plain), Metrics(_s.Folder.File("e3")));
    }

    [Theory]
    [InlineData("evaluate", "evaluate needs Monte-Carlo truth (electron_offsets")]
    [InlineData("train", "training needs Monte-Carlo truth (electron_offsets")]
    [InlineData("train --task count", "cluster-count training needs Monte-Carlo truth (electron_offsets")]
    public void Commands_that_need_truth_name_the_missing_array_in_one_line(string command, string expected)
    {
        string output = _s.Folder.File($"out-{Guid.NewGuid():N}");
        if (command.StartsWith("train", StringComparison.Ordinal)) output += ".safetensors";
        var r = CliHarness.Run([.. command.Split(' '), "--data", GoldenFiles.Path("wf_f32.h5"), "--pedestal", "0", "--gain", "1", "--out", output]);
        Assert.Equal(1, r.Exit);
        Assert.Contains(expected, r.Error);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output) || Directory.Exists(output));
    }
}
