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

        var pileUp = new SvgPlot("Efficiency against local pile-up", $"other truth peaks within ±{PeakScore.PileUpWindow} samples", "efficiency") { YMin = 0, YMax = 1, LegendPosition = "top-right" };
        series = 0;
        var bins = Enumerable.Range(0, PeakScore.PileUpBins.Length).Select(i => (double)i).ToArray();
        foreach (var f in r.Finders)
        {
            string color = Palette.Nth(series++);
            pileUp.Line(bins, f.EfficiencyByPileUp, color, f.Name, 2).Points(bins, f.EfficiencyByPileUp, color);
        }
        Save(pileUp, "efficiency_pileup.svg", $"Efficiency against the number of other truth peaks nearby (bins {string.Join(", ", PeakScore.PileUpBins)}).");

        var residuals = new SvgPlot("Time residuals of matched peaks", "found - truth [ns]", "matched peaks") { LegendPosition = "top-right" };
        series = 0;
        foreach (var f in r.Finders) residuals.Histogram(f.ResidualHistogramEdgesNs, f.ResidualHistogram.Select(c => (double)c).ToArray(), Palette.Nth(series++), f.Name, fill: false);
        Save(residuals, "residuals.svg", "Time residuals of matched peaks (the found peak sample against the truth electron's pulse peak).");

        foreach (var ex in r.Examples)
        {
            var samples = data.ReadWaveforms(ex.Event, 1);
            var (a, b) = data.ElectronRange(ex.Event);
            double first = b > a ? data.ElectronTimeNs[a] : 0, last = b > a ? data.ElectronTimeNs[b - 1] : data.Samples * data.SamplingNs;
            var plot = WaveformFigure.Build(data, ex.Event, samples, ex.Detections.Select(d => (d.Finder, (IReadOnlyList<int>)d.Peaks)).ToList(),
                Math.Max(0, first - 15), last + 40);
            Save(plot, $"waveform_{ex.Event}.svg", $"Waveform {ex.Event}: black waveform, orange truth electrons (primaries darker), dots at the peaks each finder found.");
        }

        output.Finish(r, Html(r));
    }

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
        if (r.EqualPurity.Count > 0)
        {
            sb.Append("<h3>Models at the purity of each classical finder</h3><table><tr><th>model</th><th>against</th><th>classical purity</th><th>classical efficiency</th><th>model efficiency</th><th>model purity</th><th>model threshold</th></tr>");
            foreach (var c in r.EqualPurity)
                sb.Append($"<tr><td>{E(c.Model)}</td><td>{E(c.Classical)}</td><td>{F(c.ClassicalPurity)}</td><td>{F(c.ClassicalEfficiency)}</td><td><b>{(c.ModelEfficiency is { } e ? F(e) : "not reached")}</b></td><td>{(c.ModelPurity is { } p ? F(p) : "-")}</td><td>{(c.ModelThreshold is { } t ? F(t, "G3") : "-")}</td></tr>");
            sb.Append("</table><p class=\"note\">The model's best efficiency among thresholds whose purity is at least the classical finder's.</p>");
        }
        return new HtmlPage("Peakformer evaluation").Raw(sb.ToString());
    }
}
