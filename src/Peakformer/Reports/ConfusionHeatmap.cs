using System.Text;

namespace Peakformer.Reports;

/// <summary>A confusion matrix as an HTML table with class names, each cell shaded by its share of the row (white 0, dark blue 1).</summary>
public static class ConfusionHeatmap
{
    /// <param name="counts">Rows the true class, columns the predicted class.</param>
    public static string Html(IReadOnlyList<string> names, long[][] counts)
    {
        var E = HtmlPage.E;
        var sb = new StringBuilder("<table><tr><th>true \\ predicted</th>");
        foreach (var name in names) sb.Append($"<th>{E(name)}</th>");
        sb.Append("</tr>\n");
        for (int row = 0; row < counts.Length; row++)
        {
            long total = counts[row].Sum();
            sb.Append($"<tr><th>{E(names[row])}</th>");
            foreach (long count in counts[row])
            {
                double share = total == 0 ? 0 : (double)count / total;
                // Text turns white on the darker half.
                string text = share > 0.5 ? "#fff" : "#222";
                sb.Append($"<td style=\"background:{Svg.Palette.Blues(share)};color:{text}\" title=\"{share:P1}\">{count:N0}</td>");
            }
            sb.Append("</tr>\n");
        }
        return sb.Append("</table>\n").ToString();
    }
}
