using Peakformer.Progress;
using Peakformer.Reports.Svg;
using Peakformer.Spectroscopy.Evaluation;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Reports;

/// <summary>
/// Writes a spectrum evaluation as report/index.html and report/metrics.json: per model the overall figures with their
/// standard errors, the per-class table, the confusion matrix as a heatmap with class names, the training curves and
/// the saliency over the shift axis; for the data, one raw and one preprocessed example spectrum per class and the
/// class-mean spectra with a one-sigma band.
/// </summary>
public static class SpectrumReport
{
    /// <summary>Classes drawn in the per-class figures at most (the tables hold every class).</summary>
    public const int ClassesDrawn = 24;

    public static void Write(string folder, SpectrumEvaluationResult r, SpectrumSet raw)
    {
        using var output = new ReportFolder(folder);
        // The data's labels as the classes the report names (the last model's, as r.ClassNames), and the data as the
        // first model with a pipeline reads it (the raw spectra when none has one), with that model's classes.
        if (r.Models.Count > 0) raw = SpectrumInput.Relabel(r.Models[^1].Path, SpectrumCheckpoint.Load(r.Models[^1].Path).Info, raw, r.Data);
        var withPipeline = r.Models.FirstOrDefault(m => m.Preprocessing.Length > 0);
        var processed = raw;
        if (withPipeline is not null)
        {
            var (_, _, info) = SpectrumCheckpoint.Load(withPipeline.Path);
            processed = SpectrumInput.Prepare(withPipeline.Path, info, raw, r.Data, NullProgress.Instance);
        }
        output.Save(Examples(raw, raw.ClassNames, "raw example spectra, one per class"), "examples_raw.svg",
            "The first spectrum of each class as read (offset by class for legibility).");
        var names = processed.ClassNames;
        if (withPipeline is not null)
            output.Save(Examples(processed, names, $"preprocessed ({withPipeline.Preprocessing})"), "examples_preprocessed.svg",
                $"The same spectra after the preprocessing of {withPipeline.Model}: {withPipeline.Preprocessing}.");
        foreach (int c in Enumerable.Range(0, Math.Min(ClassesDrawn, names.Count)))
        {
            var plot = ClassMean(processed, c, names[c]);
            if (plot is not null) output.Save(plot, $"class_mean_{c}.svg", $"{names[c]}: mean spectrum ± one standard deviation{(withPipeline is null ? "" : " (preprocessed)")}.");
        }
        foreach (var (m, i) in r.Models.Select((m, i) => (m, i)))
        {
            if (m.History.Count > 0)
            {
                output.Save(TrainingCurves.Loss(m.Model, m.History, m.BestEpoch, "cross-entropy"),
                    $"training_loss_{i}.svg", $"{m.Model}: training and validation loss per epoch (best epoch {m.BestEpoch}, marked).");
                output.Save(TrainingCurves.Scores($"{m.Model}: accuracy and validation macro-F1 per epoch", "accuracy / macro-F1", m.History, m.BestEpoch,
                    "accuracy", "macro-F1", "bottom-right"), $"training_accuracy_{i}.svg", $"{m.Model}: accuracy and validation macro-F1 per epoch.");
            }
            if (m.Saliency is { } s)
                output.Save(new SvgPlot($"{m.Model}: saliency", "Raman shift [cm^-1]", "mean |d logit_true / d x|") { XMin = m.Axis[0], XMax = m.Axis[^1] }
                    .Line(m.Axis, s, Palette.Vermillion, null, 1.4),
                    $"saliency_{i}.svg", $"{m.Model}: mean absolute gradient of the true class's logit with respect to each point: the bands the model uses.");
        }
        output.Finish(r, Html(r));
    }

    /// <summary>The first spectrum of each class, class c raised by c times the set's largest range.</summary>
    private static SvgPlot Examples(SpectrumSet set, IReadOnlyList<string> names, string title)
    {
        var plot = new SvgPlot(title, "Raman shift [cm^-1]", "intensity (offset by class)", 820, 560) { LegendPosition = "outside", XMin = set.Wavenumbers[0], XMax = set.Wavenumbers[^1] };
        double step = 0;
        for (int i = 0; i < set.Count; i++)
        {
            var s = set.Spectrum(i);
            float lo = float.MaxValue, hi = float.MinValue;
            foreach (float v in s) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            step = Math.Max(step, hi - lo);
        }
        for (int c = 0; c < Math.Min(ClassesDrawn, names.Count); c++)
        {
            int first = Array.IndexOf(set.Labels, c);
            if (first < 0) continue;
            var y = set.Spectrum(first).ToArray().Select(v => v + c * step).ToArray();
            plot.Line(set.Wavenumbers, y, Palette.Nth(c), names[c], 1.1);
        }
        return plot;
    }

    /// <summary>Mean and one standard deviation of class c's spectra per point (null when the class has none).</summary>
    private static SvgPlot? ClassMean(SpectrumSet set, int c, string name)
    {
        var rows = Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == c).ToList();
        if (rows.Count == 0) return null;
        int length = set.Length;
        var mean = new double[length];
        var sd = new double[length];
        foreach (int i in rows)
        {
            var s = set.Spectrum(i);
            for (int k = 0; k < length; k++) mean[k] += s[k];
        }
        for (int k = 0; k < length; k++) mean[k] /= rows.Count;
        foreach (int i in rows)
        {
            var s = set.Spectrum(i);
            for (int k = 0; k < length; k++) sd[k] += (s[k] - mean[k]) * (s[k] - mean[k]);
        }
        for (int k = 0; k < length; k++) sd[k] = Math.Sqrt(sd[k] / Math.Max(1, rows.Count - 1));
        return new SvgPlot($"{name}: mean of {rows.Count:N0} spectra", "Raman shift [cm^-1]", "intensity", 520, 300) { XMin = set.Wavenumbers[0], XMax = set.Wavenumbers[^1] }
            .Band(set.Wavenumbers, mean.Zip(sd, (m, s) => m - s).ToArray(), mean.Zip(sd, (m, s) => m + s).ToArray(), Palette.SkyBlue, "± 1 sd")
            .Line(set.Wavenumbers, mean, Palette.Blue, "mean", 1.4);
    }

    private static HtmlPage Html(SpectrumEvaluationResult r)
    {
        var F = HtmlPage.F;
        var E = HtmlPage.E;
        var page = new HtmlPage("Peakformer spectrum evaluation")
            .Note($"{E(r.Data)}: {r.Spectra:N0} spectra, {r.ClassNames.Count} classes. Each model reads the spectra through the preprocessing saved in its checkpoint.")
            .Heading("Models")
            .Table(["model", "kind", "preprocessing", "accuracy ± s.e.", "macro-F1 ± s.e.", "weighted-F1", "macro precision", "macro recall", "parameters", "best epoch"],
                r.Models.Select(m => new[] { E(m.Model), E(m.DisplayName), m.Preprocessing.Length == 0 ? "none" : E(m.Preprocessing),
                    $"<b>{F(m.Accuracy)}</b> ± {F(m.AccuracyStandardError)}", $"{F(m.MacroF1)} ± {F(m.MacroF1StandardError)}",
                    F(m.WeightedF1), F(m.MacroPrecision), F(m.MacroRecall), m.Parameters.ToString("N0"), m.BestEpoch.ToString() }))
            .Note("Standard errors: accuracy binomial, sqrt(p(1 - p) / N); macro-F1 by a bootstrap over the spectra. k-NN's parameters are its stored training spectra.");
        foreach (var m in r.Models)
        {
            page.Heading($"{m.Model}: per class", 3)
                .Table(["class", "precision", "recall", "F1", "support"],
                    m.PerClass.Select(c => new[] { E(c.Name), F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString("N0") }));
            page.Heading($"{m.Model}: confusion matrix", 3).Raw(ConfusionHeatmap.Html(m.PerClass.Select(c => c.Name).ToList(), m.Confusion))
                .Note("Rows: true class; columns: predicted class. The shade is the share of the row's spectra.");
        }
        return page;
    }
}
