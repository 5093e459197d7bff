using System.Text;
using Peakformer.Vision.Evaluation;

namespace Peakformer.Reports;

/// <summary>
/// Writes an image evaluation as report/index.html and report/metrics.json: per model the overall figures, the
/// per-class table, the confusion matrix as a heatmap with class names (cell shade: the share of the true class's
/// images) and the training curves of every epoch.
/// </summary>
public static class ImageReport
{
    public static void Write(string folder, ImageEvaluationResult r)
    {
        using var output = new ReportFolder(folder);
        foreach (var (m, i) in r.Models.Select((m, i) => (m, i)).Where(x => x.m.History.Count > 0))
        {
            output.Save(TrainingCurves.Loss(m.Model, m.History, m.BestEpoch, "cross-entropy (label-smoothed)"),
                $"training_loss_{i}.svg", $"{m.Model}: training and validation loss per epoch (best epoch {m.BestEpoch}, marked).");
            output.Save(TrainingCurves.Scores($"{m.Model}: accuracy and validation macro-F1 per epoch", "accuracy / macro-F1", m.History, m.BestEpoch,
                "accuracy", "macro-F1", "bottom-right"), $"training_accuracy_{i}.svg", $"{m.Model}: accuracy and validation macro-F1 per epoch.");
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
            .Table(["model", "kind", "accuracy", "macro-F1", "weighted-F1", "macro precision", "macro recall", "best epoch"],
                r.Models.Select(m => new[] { E(m.Model), E(m.Kind), $"<b>{F(m.Accuracy)}</b>", F(m.MacroF1), F(m.WeightedF1), F(m.MacroPrecision), F(m.MacroRecall), m.BestEpoch.ToString() }));
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

    /// <summary>The confusion matrix as a table whose cells are shaded by their share of the row (white 0, dark blue 1).</summary>
    private static string Heatmap(ImageModelResult m)
    {
        var E = HtmlPage.E;
        var sb = new StringBuilder("<table><tr><th>true \\ predicted</th>");
        foreach (var c in m.PerClass) sb.Append($"<th>{E(c.Name)}</th>");
        sb.Append("</tr>\n");
        for (int row = 0; row < m.Confusion.Length; row++)
        {
            long total = m.Confusion[row].Sum();
            sb.Append($"<tr><th>{E(m.PerClass[row].Name)}</th>");
            foreach (long count in m.Confusion[row])
            {
                double share = total == 0 ? 0 : (double)count / total;
                // Blue from white (0) to #08306b (1); text turns white on the darker half.
                int red = (int)Math.Round(255 - share * (255 - 8)), green = (int)Math.Round(255 - share * (255 - 48)), blue = (int)Math.Round(255 - share * (255 - 107));
                string text = share > 0.5 ? "#fff" : "#222";
                sb.Append($"<td style=\"background:rgb({red},{green},{blue});color:{text}\" title=\"{share:P1}\">{count:N0}</td>");
            }
            sb.Append("</tr>\n");
        }
        return sb.Append("</table>\n").ToString();
    }
}
