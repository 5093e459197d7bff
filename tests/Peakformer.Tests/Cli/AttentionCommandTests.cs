using System.Text.Json;
using System.Xml.Linq;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Randomness;
using Peakformer.Tests.Support;
using static Peakformer.Tests.Cli.ImageCommandTests;

namespace Peakformer.Tests.Cli;

/// <summary>
/// attention, and the image report's mistakes, attention maps and 2D-against-1D comparison, end to end on the small
/// synthetic IDX set of <see cref="ImageCommandTests"/> with tiny two-layer models.
/// </summary>
public class AttentionCommandTests
{
    private const string TwoLayers = "{\"patch_size\": 7, \"layers\": 2, \"heads\": 3, \"model\": 12, \"feed_forward\": 24}";

    private static string TrainTiny(TempFolder folder, string data, string kind, string name)
    {
        string model = folder.File(name);
        Ok(CliHarness.Run(Train(data, model, 1).Select(a => a == "vit" ? kind : a).Select(a => a.StartsWith('{') ? TwoLayers : a).ToArray()));
        return model;
    }

    private static int Heatmaps(string svg) =>
        XDocument.Parse(svg).Descendants().Count(e => (string?)e.Attribute("class") == Peakformer.Reports.AttentionFigure.HeatmapClass);

    [Fact]
    public void Attention_writes_one_figure_per_image_with_every_layer_and_head_and_the_rollout()
    {
        using var folder = new TempFolder();
        string data = WriteSet(folder, 60, 12);
        string model = TrainTiny(folder, data, "vit", "vit.safetensors");
        string output = folder.File("attn");
        var r = CliHarness.Run("attention", "--model", model, "--data", data, "--index", "0,2", "--out", output);
        Ok(r);
        foreach (int i in new[] { 0, 2 })
        {
            string svg = File.ReadAllText(Path.Combine(output, $"image_{i}.svg"));
            Assert.Equal(2 * 3 + 1, Heatmaps(svg));
            Assert.Contains("true: <tspan font-weight=\"bold\">" + new[] { "top", "left", "dark" }[i % 3], svg);
            Assert.Contains("predicted:", svg);
            Assert.Contains("layer 2", svg);
            Assert.Contains("head 3", svg);
        }
        Assert.False(File.Exists(Path.Combine(output, "image_1.svg")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        Assert.Equal([0, 2], metrics.RootElement.GetProperty("images").EnumerateArray().Select(e => e.GetProperty("index").GetInt32()));
        Assert.Contains("image 2: true dark", r.Output);

        // Again without --force: refused; with it: replaced (Peakformer wrote it).
        OneLineError(CliHarness.Run("attention", "--model", model, "--data", data, "--index", "1", "--out", output), "--force");
        Ok(CliHarness.Run("attention", "--model", model, "--data", data, "--index", "1", "--out", output, "--force"));
        Assert.True(File.Exists(Path.Combine(output, "image_1.svg")));

        // The 1D-patch model draws its maps too.
        string raster = TrainTiny(folder, data, "vit1d", "vit1d.safetensors");
        Ok(CliHarness.Run("attention", "--model", raster, "--data", data, "--index", "3", "--out", folder.File("attn1d")));
        Assert.Equal(7, Heatmaps(File.ReadAllText(Path.Combine(folder.File("attn1d"), "image_3.svg"))));
    }

    [Fact]
    public void Attention_bad_inputs_are_one_line_errors_and_leave_a_users_files_alone()
    {
        using var folder = new TempFolder();
        string data = WriteSet(folder, 60, 12);
        string model = TrainTiny(folder, data, "vit", "vit.safetensors");
        OneLineError(CliHarness.Run("attention", "--model", model, "--data", data, "--index", "3,12", "--out", folder.File("a")), "--index 12: outside the 12 images");
        OneLineError(CliHarness.Run("attention", "--model", model, "--data", data, "--index", "x", "--out", folder.File("a")), "--index");
        Assert.False(Directory.Exists(folder.File("a")));

        string peak = folder.File("peak.safetensors");
        PeakCheckpoint.Save(peak, DriftChamberModels.Create("window-transformer", null, new Rng(1)), new PeakModelInfo { Task = DriftChamberModels.WindowTask });
        OneLineError(CliHarness.Run("attention", "--model", peak, "--data", data, "--out", folder.File("a")), "a window-transformer model");

        // A folder holding a file Peakformer did not write: refused even with --force, and the file is untouched.
        string mine = folder.File("mine");
        Directory.CreateDirectory(mine);
        File.WriteAllText(Path.Combine(mine, "image_0.svg"), "my notes");
        OneLineError(CliHarness.Run("attention", "--model", model, "--data", data, "--out", mine, "--force"), "--out");
        Assert.Equal("my notes", File.ReadAllText(Path.Combine(mine, "image_0.svg")));
    }

    [Fact]
    public void The_report_shows_mistakes_attention_and_the_2d_against_1d_comparison_recounted_from_predict()
    {
        using var folder = new TempFolder();
        string data = WriteSet(folder, 90, 60);
        string square = TrainTiny(folder, data, "vit", "square.safetensors");
        string raster = TrainTiny(folder, data, "vit1d", "raster.safetensors");
        string report = folder.File("report");
        var r = CliHarness.Run("evaluate", "--task", "image", "--data", data, "--models", $"{square},{raster}", "--out", report);
        Ok(r);
        Assert.Contains("McNemar p", r.Output);

        // Which images each got right, from predict's CSV (a separate path through the models).
        var truth = new List<int>();
        var right = new[] { square, raster }.Select((m, i) =>
        {
            string csv = folder.File($"p{i}.csv");
            Ok(CliHarness.Run("predict", "--model", m, "--in", data, "--out", csv));
            var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).ToList();
            if (i == 0) truth.AddRange(rows.Select(f => int.Parse(f[1])));
            return rows.Select(f => f[1] == f[2]).ToArray();
        }).ToArray();
        int n = truth.Count;
        long b = Enumerable.Range(0, n).Count(i => right[0][i] && !right[1][i]), c = Enumerable.Range(0, n).Count(i => right[1][i] && !right[0][i]);

        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(report, "metrics.json")));
        var comparison = metrics.RootElement.GetProperty("comparison");
        Assert.Equal(b, comparison.GetProperty("only_square_right").GetInt64());
        Assert.Equal(c, comparison.GetProperty("only_raster_right").GetInt64());
        double p = right[0].Count(x => x) / (double)n;
        Assert.Equal(p, comparison.GetProperty("square_accuracy").GetDouble(), 12);
        Assert.Equal(Math.Sqrt(p * (1 - p) / n), comparison.GetProperty("square_accuracy_standard_error").GetDouble(), 12);
        Assert.True(comparison.GetProperty("mcnemar_p").GetDouble() is > 0 and <= 1);
        Assert.True(comparison.GetProperty("square_parameters").GetInt32() > 0);
        Assert.True(comparison.GetProperty("raster_training_seconds").GetDouble() > 0);

        var models = metrics.RootElement.GetProperty("models");
        for (int i = 0; i < 2; i++)
        {
            var mistakes = models[i].GetProperty("mistakes").EnumerateArray().ToList();
            Assert.Equal(Math.Min(24, right[i].Count(x => !x)), mistakes.Count);
            Assert.All(mistakes, m => Assert.False(right[i][m.GetProperty("index").GetInt32()]));
            var probabilities = mistakes.Select(m => m.GetProperty("probability").GetDouble()).ToList();
            Assert.Equal(probabilities.OrderDescending(), probabilities);
            Assert.Equal(mistakes.Count, XDocument.Parse(File.ReadAllText(Path.Combine(report, $"mistakes_{i}.svg"))).Descendants().Count(e => (string?)e.Attribute("class") == "mistake"));
            for (int image = 0; image < 3; image++)
                Assert.Equal(7, Heatmaps(File.ReadAllText(Path.Combine(report, $"attention_{i}_{image}.svg"))));
        }
        string html = File.ReadAllText(Path.Combine(report, "index.html"));
        Assert.Contains("2D against 1D patches", html);
        Assert.Contains("mistakes_1.svg", html);
        Assert.Contains("attention_0_2.svg", html);

        // One model alone: no comparison.
        Ok(CliHarness.Run("evaluate", "--task", "image", "--data", data, "--models", square, "--out", folder.File("alone")));
        using var alone = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder.File("alone"), "metrics.json")));
        Assert.Equal(JsonValueKind.Null, alone.RootElement.GetProperty("comparison").ValueKind);
    }
}
