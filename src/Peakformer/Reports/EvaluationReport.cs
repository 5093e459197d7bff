using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Peakformer.Data.Waveforms;
using Peakformer.Evaluation;
using Peakformer.Reports.Svg;

namespace Peakformer.Reports;

/// <summary>Writes an evaluation as report/index.html with SVG figures and report/metrics.json.</summary>
public static class EvaluationReport
{
    public static void Write(string folder, EvaluationResult r, WaveformDataset data)
    {
        using var output = new ReportFolder(folder);
        var Save = output.Save;

        foreach (var (h, i) in r.Training.Select((h, i) => (h, i)).Where(x => x.h.History.Count > 0))
        {
            Save(TrainingCurves.Loss(h.Name, h.History, h.BestEpoch, "BCE loss"),
                $"training_loss_{i}.svg", $"{h.Name}: training and validation loss per epoch (best epoch {h.BestEpoch}, marked).");
            Save(TrainingCurves.Scores($"{h.Name}: accuracy and validation AUC per epoch", "accuracy / AUC", h.History, h.BestEpoch, "accuracy", "AUC",
                "bottom-right"), $"training_accuracy_{i}.svg", $"{h.Name}: accuracy at the threshold and validation AUC per epoch.");
        }

        if (r.WindowLevel.Count > 0)
        {
            foreach (bool log in new[] { false, true })
            {
                var roc = new SvgPlot($"ROC of candidate windows{(log ? " (log FPR)" : "")}", "false positive rate", "true positive rate")
                { LogX = log, YMin = log ? 0 : 0, YMax = 1.0, XMin = log ? 1e-4 : 0, XMax = 1, LegendPosition = "bottom-right" };
                for (int k = 0; k < r.WindowLevel.Count; k++)
                {
                    var w = r.WindowLevel[k];
                    roc.Line(w.RocFpr, w.RocTpr, Palette.Nth(k), $"{w.Model} (AUC {w.Auc:F4})", 2);
                }
                roc.Line([log ? 1e-4 : 0, 1], [log ? 1e-4 : 0, 1], Palette.Grey, "random", 1, "4,4");
                Save(roc, log ? "roc_log.svg" : "roc.svg", log
                    ? "The same ROC curves with a logarithmic false-positive rate, where the models differ most."
                    : $"ROC curves of all models on every candidate window of {r.Waveforms:N0} held-out waveforms.");
            }
        }

        var peakPlot = new SvgPlot("Peak finding: efficiency against purity", "purity", "efficiency") { XMin = 0, XMax = 1, YMin = 0, YMax = 1, LegendPosition = "bottom-left" };
        int series = 0;
        foreach (var f in r.Finders)
        {
            string color = Palette.Nth(series++);
            if (f.Curve.Count > 0) peakPlot.Line(f.Curve.Select(c => c.Purity).ToArray(), f.Curve.Select(c => c.Efficiency).ToArray(), color, $"{f.Name} (threshold scan)", 2);
            peakPlot.Points([f.Purity], [f.Efficiency], color, $"{f.Name} operating point", 5);
        }
        Save(peakPlot, "efficiency_purity.svg", $"Peak-level efficiency against purity: one-to-one matching to every truth electron within ±{r.ToleranceSamples} samples. Model curves scan the decision threshold; dots are the operating points.");

        foreach (var (figure, file, caption) in ThresholdScans(r)) Save(figure, file, caption);
        Save(PileUp(r), "efficiency_pileup.svg",
            $"Efficiency against the number of other truth peaks within ±{PeakScore.PileUpWindow} samples, in bins {string.Join(", ", PeakScore.PileUpBins)}; {BinomialInterval.Caption}.");

        var residuals = new SvgPlot("Time residuals of matched peaks", "found - truth [ns]", "matched peaks") { LegendPosition = "top-right" };
        series = 0;
        foreach (var f in r.Finders) residuals.Histogram(f.ResidualHistogramEdgesNs, f.ResidualHistogram.Select(c => (double)c).ToArray(), Palette.Nth(series++), f.Name, fill: false);
        Save(residuals, "residuals.svg", "Time residuals of matched peaks (the found peak sample against the truth electron's pulse peak).");

        foreach (var ex in r.Examples)
        {
            var samples = data.ReadWaveforms(ex.Event, 1);
            var (a, b) = data.ElectronRange(ex.Event);
            double first = b > a ? data.ElectronTimeNs[a] : 0, last = b > a ? data.ElectronTimeNs[b - 1] : data.Samples * data.SamplingNs;
            var figure = WaveformFigure.Build(data, ex.Event, samples, ex.Detections.Select(d => (d.Finder, (IReadOnlyList<int>)d.Peaks)).ToList(),
                Math.Max(0, first - 15), last + 40);
            output.SaveSvg(figure.Render(), $"waveform_{ex.Event}.svg",
                $"Waveform {ex.Event}, one panel per finder on one time and amplitude axis: black waveform, orange truth electrons (primaries darker), dots at the peaks the finder found.");
        }

        output.Finish(r, Html(r));
    }

    /// <summary>Efficiency and purity against each model's decision threshold, with binomial intervals; classical finders (no threshold) as dashed lines.</summary>
    public static IEnumerable<(SvgPlot Figure, string File, string Caption)> ThresholdScans(EvaluationResult r)
    {
        if (!r.Finders.Any(f => f.Curve.Count > 0)) yield break;
        foreach (bool efficiency in new[] { true, false })
        {
            string what = efficiency ? "efficiency" : "purity";
            var plot = new SvgPlot($"Peak finding: {what} against the decision threshold", "model decision threshold", what)
            { XMin = 0, XMax = 1, YMin = 0, YMax = 1, LegendPosition = "outside" };
            for (int k = 0; k < r.Finders.Count; k++)
            {
                var f = r.Finders[k];
                string color = Palette.Nth(k);
                if (f.Curve.Count == 0)
                {
                    double v = efficiency ? f.Efficiency : f.Purity;
                    plot.Line([0, 1], [v, v], color, $"{f.Name} (fixed thresholds)", 1.4, "6,4");
                    continue;
                }
                var x = f.Curve.Select(c => c.Threshold).ToArray();
                var y = f.Curve.Select(c => efficiency ? c.Efficiency : c.Purity).ToArray();
                var bounds = f.Curve.Select(c => efficiency ? BinomialInterval.Wilson(c.Matched, c.TruthPeaks) : BinomialInterval.Wilson(c.Matched, c.FoundPeaks)).ToArray();
                plot.Line(x, y, color, f.Name, 1.6).IntervalBars(x, y, bounds.Select(b => b.Low).ToArray(), bounds.Select(b => b.High).ToArray(), color);
            }
            yield return (plot, $"{what}_threshold.svg",
                $"Peak-level {what} of each model against its decision threshold ({(efficiency ? "matched / truth peaks" : "matched / found peaks")}); classical finders have no threshold to scan and are drawn at their operating point (dashed). {Capitalised(BinomialInterval.Caption)}.");
        }
    }

    /// <summary>Efficiency in each pile-up bin, the x axis labelled by the bins themselves, with binomial intervals.</summary>
    public static SvgPlot PileUp(EvaluationResult r)
    {
        var labels = PeakScore.PileUpBins;
        var plot = new SvgPlot("Efficiency against local pile-up", $"other truth peaks within ±{PeakScore.PileUpWindow} samples", "efficiency")
        { XTickLabels = labels, XMin = -0.5, XMax = labels.Length - 0.5, YMin = 0, YMax = 1, LegendPosition = "outside" };
        var bins = Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray();
        for (int k = 0; k < r.Finders.Count; k++)
        {
            var f = r.Finders[k];
            string color = Palette.Nth(k);
            var bounds = bins.Select(b => f.MatchedByPileUp.Length > (int)b ? BinomialInterval.Wilson(f.MatchedByPileUp[(int)b], f.TruthByPileUp[(int)b]) : (double.NaN, double.NaN)).ToArray();
            plot.Line(bins, f.EfficiencyByPileUp, color, f.Name, 1.6)
                .IntervalBars(bins, f.EfficiencyByPileUp, bounds.Select(b => b.Item1).ToArray(), bounds.Select(b => b.Item2).ToArray(), color);
        }
        return plot;
    }

    private static string Capitalised(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private static HtmlPage Html(EvaluationResult r)
    {
        var F = HtmlPage.F;
        var E = HtmlPage.E;
        var sb = new StringBuilder();
        sb.Append($"<p class=\"note\">Data: {E(r.Data)}, {r.Waveforms:N0} waveforms, sampling {F(r.SamplingNs, "G3")} ns; peaks match truth electrons within ±{r.ToleranceSamples} samples; classical thresholds tuned on {E(r.TuningData ?? "(published typical values)")}. Evaluated in {F(r.Seconds, "F0")} s.</p>");
        if (r.WindowLevel.Count > 0)
        {
            sb.Append("<h2>Window classification</h2><table><tr><th>model</th><th>windows</th><th>signal</th><th>ROC AUC</th><th>TPR at FPR 1e-2</th><th>TPR at FPR 1e-3</th><th>threshold</th><th>accuracy</th><th>precision</th><th>recall</th><th>F1</th><th>TP / FP / TN / FN</th></tr>");
            foreach (var w in r.WindowLevel)
                sb.Append($"<tr><td>{E(w.Model)}</td><td>{w.Windows:N0}</td><td>{w.Signal:N0}</td><td><b>{F(w.Auc)}</b></td><td>{F(w.TprAtFpr1e2)}</td><td>{F(w.TprAtFpr1e3)}</td><td>{F(w.Threshold, "G3")}</td><td>{F(w.Accuracy)}</td><td>{F(w.Precision)}</td><td>{F(w.Recall)}</td><td>{F(w.F1)}</td><td>{w.Confusion.TruePositives:N0} / {w.Confusion.FalsePositives:N0} / {w.Confusion.TrueNegatives:N0} / {w.Confusion.FalseNegatives:N0}</td></tr>");
            sb.Append("</table><p class=\"note\">All candidate windows of the evaluation waveforms (not balanced). Reference study: transformer 0.9914, LSTM 0.9759.</p>");
        }
        sb.Append("<h2>Peak finding against Monte-Carlo truth</h2><table><tr><th>finder</th><th>settings</th><th>efficiency</th><th>purity</th><th>F1</th><th>truth peaks</th><th>found</th><th>matched</th><th>residual mean [ns]</th><th>residual rms [ns]</th></tr>");
        foreach (var f in r.Finders)
            sb.Append($"<tr><td>{E(f.Name)}</td><td>{E(f.Kind == "model" ? $"threshold {F(f.Threshold ?? 0.5, "G3")}" : f.Settings)}</td><td><b>{F(f.Efficiency)}</b></td><td><b>{F(f.Purity)}</b></td><td>{F(f.F1)}</td><td>{f.TruthPeaks:N0}</td><td>{f.FoundPeaks:N0}</td><td>{f.Matched:N0}</td><td>{F(f.ResidualMeanNs, "F3")}</td><td>{F(f.ResidualRmsNs, "F3")}</td></tr>");
        sb.Append("</table>");
        var page = new HtmlPage("Peakformer evaluation").Raw(sb.ToString());
        ParticleTable(page, r);
        sb.Clear();
        if (r.EqualPurity.Count > 0)
        {
            sb.Append("<h3>Models at the purity of each classical finder</h3><table><tr><th>model</th><th>against</th><th>classical purity</th><th>classical efficiency</th><th>model efficiency</th><th>model purity</th><th>model threshold</th></tr>");
            foreach (var c in r.EqualPurity)
                sb.Append($"<tr><td>{E(c.Model)}</td><td>{E(c.Classical)}</td><td>{F(c.ClassicalPurity)}</td><td>{F(c.ClassicalEfficiency)}</td><td><b>{(c.ModelEfficiency is { } e ? F(e) : "not reached")}</b></td><td>{(c.ModelPurity is { } p ? F(p) : "-")}</td><td>{(c.ModelThreshold is { } t ? F(t, "G3") : "-")}</td></tr>");
            sb.Append("</table><p class=\"note\">The model's best efficiency among thresholds whose purity is at least the classical finder's.</p>");
        }
        return page.Raw(sb.ToString());
    }

    /// <summary>Peak finding per particle type, left out when the data does not say which particle made each waveform.</summary>
    private static void ParticleTable(HtmlPage page, EvaluationResult r)
    {
        var F = HtmlPage.F;
        var E = HtmlPage.E;
        var rows = r.Finders.SelectMany(f => f.ByParticle.Select(p => new[]
        {
            E(f.Name), E(p.Particle), $"{p.Waveforms:N0}", $"<b>{F(p.F1)}</b>", F(p.Efficiency), F(p.Purity), $"{p.TruthPeaks:N0}", $"{p.FoundPeaks:N0}", $"{p.Matched:N0}",
        })).ToList();
        if (rows.Count == 0) return;
        page.Heading("Peak finding per particle type", 3)
            .Table(["finder", "particle", "waveforms", "F1", "efficiency", "purity", "truth peaks", "found", "matched"], rows);
    }
}
