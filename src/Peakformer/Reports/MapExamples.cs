using System.Security;
using System.Text;
using Peakformer.Data.Images;
using Peakformer.Reports.Svg;

namespace Peakformer.Reports;

/// <summary>
/// Example TERS maps per class as an SVG grid: one row per class, its first few maps of the set, each drawn as its
/// band channels side by side in grey (0 black, 1 white), so what tells the classes apart (the channels' ratios,
/// not the hotspots' layout) is in view.
/// </summary>
public static class MapExamples
{
    public const int PerClass = 3;
    private const int Margin = 12, Top = 40, Label = 110, Gap = 4, MapGap = 16, RowGap = 10;

    public static string Render(string title, ImageSet set)
    {
        int scale = Math.Max(1, (int)Math.Round(48.0 / set.Width)), w = set.Width * scale, h = set.Height * scale;
        int mapWidth = set.Channels * (w + Gap) - Gap;
        int width = 2 * Margin + Label + PerClass * (mapWidth + MapGap), height = Top + set.Classes * (h + RowGap) + 20 + Margin;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\" shape-rendering=\"crispEdges\">\n");
        sb.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{Margin}\" y=\"24\" font-size=\"15\" font-weight=\"bold\">{Esc(title)}</text>\n");
        int plane = set.Height * set.Width;
        for (int k = 0; k < set.Classes; k++)
        {
            int y = Top + k * (h + RowGap);
            sb.Append($"<text x=\"{Margin}\" y=\"{y + h / 2 + 4}\">{Esc(set.ClassNames[k])}</text>\n");
            var maps = Enumerable.Range(0, set.Count).Where(i => set.Labels[i] == k).Take(PerClass).ToList();
            for (int n = 0; n < maps.Count; n++)
                for (int c = 0; c < set.Channels; c++)
                {
                    int x = Margin + Label + n * (mapWidth + MapGap) + c * (w + Gap);
                    sb.Append($"<g class=\"map\" transform=\"translate({x},{y})\"><g transform=\"scale({scale})\">\n");
                    sb.Append(PixelRects.Grey(set.Image(maps[n]).Slice(c * plane, plane), 1, set.Height, set.Width));
                    sb.Append($"</g><rect width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#333\"/></g>\n");
                }
        }
        int bottom = Top + set.Classes * (h + RowGap) + 12;
        sb.Append($"<text x=\"{Margin + Label}\" y=\"{bottom}\">each map: channels 0..{set.Channels - 1} left to right</text>\n");
        return sb.Append("</svg>\n").ToString();
    }

    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
