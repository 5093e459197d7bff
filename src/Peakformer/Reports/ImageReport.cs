using System.Globalization;
using Peakformer.Data.Images;
using Peakformer.Vision.Attention;
using Peakformer.Vision.Evaluation;
using Peakformer.Vision.Models;

namespace Peakformer.Reports;

/// <summary>
/// Writes an image evaluation as report/index.html and report/metrics.json: per model the overall figures with their
/// standard errors, the per-class table, the confusion matrix as a heatmap with class names (cell shade: the share of
/// the true class's images), the training curves of every epoch, a grid of the most confident mistakes and the
/// attention maps of the first test images; and, when a vit and a vit1d were evaluated together, the two side by side.
/// </summary>
public static class ImageReport
{
    /// <summary>Test images whose attention maps the report shows, per model (the first ones of the split).</summary>
    public const int AttentionImages = 3;

    public static void Write(string folder, ImageEvaluationResult r, ImageSet set)
    {
        using var output = new ReportFolder(folder);
        if (r.Task == Spectroscopy.Maps.MapModels.MapTask)
            output.SaveSvg(MapExamples.Render("Example maps per class", set), "map_examples.svg",
                $"The first {MapExamples.PerClass} test maps of each class, each as its {set.Channels} band channels in grey.");
        foreach (var (m, i) in r.Models.Select((m, i) => (m, i)))
        {
            if (m.History.Count > 0)
            {
                output.Save(TrainingCurves.Loss(m.Model, m.History, m.BestEpoch, "cross-entropy (label-smoothed)"),
                    $"training_loss_{i}.svg", $"{m.Model}: training and validation loss per epoch (best epoch {m.BestEpoch}, marked).");
                output.Save(TrainingCurves.Scores($"{m.Model}: accuracy and validation macro-F1 per epoch", "accuracy / macro-F1", m.History, m.BestEpoch,
                    "accuracy", "macro-F1", "bottom-right"), $"training_accuracy_{i}.svg", $"{m.Model}: accuracy and validation macro-F1 per epoch.");
            }
            output.SaveSvg(MistakeGrid.Render($"{m.Model}: most confident mistakes", m.Mistakes, set), $"mistakes_{i}.svg",
                $"{m.Model}: the {m.Mistakes.Count} most confident of its misclassified test images (true class \u2192 predicted class, probability).");
            var (model, info) = ImageCheckpoint.Load(m.Path);
            foreach (var a in AttentionRun.Of(model, set, Enumerable.Range(0, Math.Min(AttentionImages, set.Count)).ToList()))
                output.SaveSvg(AttentionFigure.Render(m.Model, a, set.Image(a.Index), set.Channels, info.ClassNames), $"attention_{i}_{a.Index}.svg",
                    $"{m.Model}: attention of test image {a.Index}: the rollout, and the class token's attention per layer (rows) and head (columns).");
        }
        output.Finish(r, Html(r));
    }

    private static HtmlPage Html(ImageEvaluationResult r)
    {
        var F = HtmlPage.F;
        var E = HtmlPage.E;
        var page = new HtmlPage("Peakformer image evaluation")
            .Note($"Test split of {E(r.Data)}: {r.Images:N0} images, {r.ClassNames.Count} classes.")
            .Heading("Models")
            .Table(["model", "kind", "accuracy ± s.e.", "macro-F1 ± s.e.", "weighted-F1", "macro precision", "macro recall", "parameters", "best epoch"],
                r.Models.Select(m => new[] { E(m.Model), E(m.Kind), $"<b>{F(m.Accuracy)}</b> ± {F(m.AccuracyStandardError)}", $"{F(m.MacroF1)} ± {F(m.MacroF1StandardError)}",
                    F(m.WeightedF1), F(m.MacroPrecision), F(m.MacroRecall), m.Parameters.ToString("N0"), m.BestEpoch.ToString() }))
            .Note("Standard errors: accuracy binomial, sqrt(p(1 - p) / N); macro-F1 by a bootstrap over the test images.");
        if (r.Comparison is { } c) Comparison(page, c);
        foreach (var m in r.Models)
        {
            page.Heading($"{m.Model}: per class", 3)
                .Table(["class", "precision", "recall", "F1", "support"],
                    m.PerClass.Select(c => new[] { E(c.Name), F(c.Precision), F(c.Recall), F(c.F1), c.Support.ToString("N0") }));
            page.Heading($"{m.Model}: confusion matrix", 3).Raw(Heatmap(m))
                .Note("Rows: true class; columns: predicted class. The shade is the share of the row's images.");
        }
        return page;
    }

    /// <summary>2D against 1D patches on the same test images: the exercise's question, measured.</summary>
    private static void Comparison(HtmlPage page, ImageComparison c)
    {
        var F = HtmlPage.F;
        var E = HtmlPage.E;
        string Time(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : "-";
        page.Heading("2D against 1D patches")
            .Table(["", "accuracy ± s.e.", "macro-F1 ± s.e.", "parameters", "training time"],
            [
                [$"{E(c.Square)} (2D patches)", $"<b>{F(c.SquareAccuracy)}</b> ± {F(c.SquareAccuracyStandardError)}", $"{F(c.SquareMacroF1)} ± {F(c.SquareMacroF1StandardError)}", c.SquareParameters.ToString("N0"), Time(c.SquareTrainingSeconds)],
                [$"{E(c.Raster)} (1D patches)", $"<b>{F(c.RasterAccuracy)}</b> ± {F(c.RasterAccuracyStandardError)}", $"{F(c.RasterMacroF1)} ± {F(c.RasterMacroF1StandardError)}", c.RasterParameters.ToString("N0"), Time(c.RasterTrainingSeconds)],
            ])
            .Note($"Accuracy difference (2D \u2212 1D): <b>{c.AccuracyDifference.ToString("+0.0000;\u22120.0000;0", CultureInfo.InvariantCulture)}</b> ± {F(c.AccuracyDifferenceStandardError)} (paired standard error) " +
                  $"on the same {c.Images:N0} images: {c.OnlySquareRight:N0} only the 2D model got right, {c.OnlyRasterRight:N0} only the 1D model; " +
                  $"McNemar's exact test p = {F(c.McNemarP, "G3")}.");
    }

    private static string Heatmap(ImageModelResult m) => ConfusionHeatmap.Html(m.PerClass.Select(c => c.Name).ToList(), m.Confusion);
}
