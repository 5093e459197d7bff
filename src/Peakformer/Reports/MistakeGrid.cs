using System.Globalization;
using System.Security;
using System.Text;
using Peakformer.Data.Images;
using Peakformer.Reports.Svg;
using Peakformer.Vision.Evaluation;

namespace Peakformer.Reports;

/// <summary>Misclassified test images as an SVG grid of grey thumbnails, each captioned "index: true → predicted" and the probability.</summary>
public static class MistakeGrid
{
    private const int Columns = 6, Cell = 150, Margin = 12, Top = 40, Caption = 34;

    public static string Render(string title, IReadOnlyList<ImageMistake> mistakes, ImageSet set)
    {
        int scale = Math.Max(1, (int)Math.Round(84.0 / set.Width)), thumb = set.Width * scale, thumbHeight = set.Height * scale;
        int rows = Math.Max(1, (mistakes.Count + Columns - 1) / Columns);
        int width = 2 * Margin + Columns * Cell, height = Top + rows * (thumbHeight + Caption + 10) + Margin;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" shape-rendering=\"crispEdges\">\n");
        sb.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{Margin}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{Esc(title)}</text>\n");
        if (mistakes.Count == 0) sb.Append($"<text x=\"{Margin}\" y=\"{Top + 20}\">no misclassified image</text>\n");
        for (int n = 0; n < mistakes.Count; n++)
        {
            var m = mistakes[n];
            int x = Margin + n % Columns * Cell, y = Top + n / Columns * (thumbHeight + Caption + 10), left = x + (Cell - thumb) / 2;
            sb.Append($"<g class=\"mistake\" transform=\"translate({left},{y})\"><g transform=\"scale({scale})\">\n");
            sb.Append(PixelRects.Grey(set.Image(m.Index), set.Channels, set.Height, set.Width));
            sb.Append($"</g><rect width=\"{thumb}\" height=\"{thumbHeight}\" fill=\"none\" stroke=\"#333\"/></g>\n");
            sb.Append($"<text x=\"{x + Cell / 2}\" y=\"{y + thumbHeight + 13}\" text-anchor=\"middle\">{Esc($"#{m.Index}: {m.LabelName} \u2192")}</text>\n");
            sb.Append($"<text x=\"{x + Cell / 2}\" y=\"{y + thumbHeight + 26}\" text-anchor=\"middle\" fill=\"{Palette.Vermillion}\">{Esc($"{m.PredictedName} ({m.Probability.ToString("0.00", CultureInfo.InvariantCulture)})")}</text>\n");
        }
        return sb.Append("</svg>\n").ToString();
    }

    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
