using System.Globalization;
using System.Text;
using Peakformer.Data;
using Peakformer.Evaluation;
using Peakformer.Reports.Svg;

namespace Peakformer.Reports;

/// <summary>A domain-shift study as shift.csv, metrics.json and index.html with one figure: F1 against the shifted set, per method.</summary>
public static class ShiftReport
{
    public static void Write(ReportFolder output, ShiftResult r)
    {
        var csv = new StringBuilder("set,overrides,mitigation,method,metric,value,error,change_from_nominal\n");
        foreach (var row in r.Rows)
            csv.Append(string.Join(",", CsvField.Quote(row.Set), CsvField.Quote(row.Overrides), row.Mitigation, CsvField.Quote(row.Method), row.Metric,
                G(row.Value), G(row.Error), G(row.Change))).Append('\n');
        File.WriteAllText(output.File("shift.csv"), csv.ToString(), new UTF8Encoding(false));

        var labels = r.Sets.Select(s => s.Label).ToList();
        // The sets by name under their points, turned so long names ("white noise x1.5") do not run into each other.
        var plot = new SvgPlot("Peak-finding F1 under domain shift", "set", "F1", height: 560)
        { LegendPosition = "outside", XTickLabels = labels, XTickAngle = TickAngle, XMin = -0.5, XMax = labels.Count - 0.5 };
        var f1 = r.Rows.Where(x => x.Metric == ShiftResult.F1).ToList();
        int colour = 0;
        foreach (var series in f1.GroupBy(x => (x.Method, x.Mitigation)))
        {
            var points = series.OrderBy(x => labels.IndexOf(x.Set)).ToList();
            // Normalised series sit a little to the right so both error bars show.
            double offset = series.Key.Mitigation == ShiftResult.None ? 0 : 0.15;
            var x = points.Select(p => labels.IndexOf(p.Set) + offset).ToArray();
            string name = series.Key.Mitigation == ShiftResult.None ? series.Key.Method : $"{series.Key.Method} ({series.Key.Mitigation})";
            string color = Palette.Nth(colour++);
            plot.Line(x, points.Select(p => p.Value).ToArray(), color, null, 1, series.Key.Mitigation == ShiftResult.None ? null : "4,3")
                .ErrorBars(x, points.Select(p => p.Value).ToArray(), points.Select(p => p.Error).ToArray(), color, name);
        }
        output.Save(plot, "f1_shift.svg", "Peak-finding F1 of each method on each set (binomial errors); dashed: after per-waveform amplitude normalisation.");
        output.Finish(r, Html(r, labels));
    }

    /// <summary>Degrees the set names under the F1 figure are turned.</summary>
    public const double TickAngle = -35;

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static HtmlPage Html(ShiftResult r, List<string> labels)
    {
        var F = HtmlPage.F;
        var E = HtmlPage.E;
        var page = new HtmlPage("Peakformer domain shift")
            .Note($"{r.Events:N0} waveforms per set ({E(r.Preset)} preset, {E(r.Beam)}), every set simulated with seed {r.Seed}: the same tracks and electrons, only the knob differs. " +
                $"Classical thresholds and the constant-mean baseline are tuned on a separate nominal set (seed {r.Seed + 1}). " +
                (r.NormalisedNoiseRms is { } n ? $"Normalised (peak models' F1 and count models' MAE, as predict --normalise): each waveform minus its baseline, scaled to the noise rms its model was trained on ({E(string.Join(", ", n.Select(m => $"{Path.GetFileName(m.Key)} {F(m.Value, "G3")}")))}; both measured on its first 25 ns). " : "") +
                $"F1 errors are binomial, count-MAE errors sqrt((MSE - MAE²) / N). Ran in {F(r.Seconds, "F0")} s.")
            .Heading("Sets")
            .Table(["#", "set", "overrides"], r.Sets.Select((s, i) => new[] { i.ToString(CultureInfo.InvariantCulture), E(s.Label), E(string.Join(", ", s.Overrides)) }))
            .Heading("Figures against the nominal set")
            .Table(["set", "mitigation", "method", "metric", "value", "error", "change"],
                r.Rows.Select(x => new[] { E(x.Set), x.Mitigation, E(x.Method), x.Metric == ShiftResult.F1 ? "F1" : "count MAE", F(x.Value), F(x.Error), F(x.Change, "+0.0000;-0.0000") }));
        return page;
    }
}
