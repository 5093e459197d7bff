using System.Globalization;
using System.Security;
using System.Text;
using Peakformer.Reports.Svg;
using Peakformer.Vision.Attention;

namespace Peakformer.Reports;

/// <summary>
/// One image and where a Vision Transformer looked, as standalone SVG (the exercise's figure): the input in grey,
/// the attention rollout, and a grid of the class token's attention per head (rows: layers, columns: heads), each
/// map in viridis over the grey image and scaled to its own maximum (written under it), with a colour scale and a
/// title giving the true class, the predicted class and its probability.
/// </summary>
public static class AttentionFigure
{
    private const int Margin = 16, Gap = 14, Caption = 30, Top = 62;
    /// <summary>Marks each heatmap's group, so tests and readers can count them.</summary>
    public const string HeatmapClass = "heatmap";

    /// <param name="image">[C, H, W] pixel values in [0, 1], H = W = the model's image size.</param>
    public static string Render(string model, ImageAttention a, ReadOnlySpan<float> image, int channels, IReadOnlyList<string> classNames)
    {
        int size = a.ImageSize, scale = Math.Max(2, (int)Math.Round(112.0 / size)), panel = size * scale;
        int gridX = Margin + panel + Gap + 28;
        int width = Math.Max(gridX + a.Heads * (panel + Gap) + Margin - Gap, 520);
        int height = Top + Math.Max(a.Layers * (panel + Caption), 2 * (panel + Caption) + 56) + Margin;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\" shape-rendering=\"crispEdges\">\n");
        sb.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append($"<defs><g id=\"image\">\n{PixelRects.Grey(image, channels, size, size)}</g></defs>\n");
        bool right = a.Label == a.Predicted;
        sb.Append($"<text x=\"{Margin}\" y=\"22\" font-size=\"15\" font-weight=\"bold\">{Esc($"{model}: image {a.Index}")}</text>\n");
        sb.Append($"<text x=\"{Margin}\" y=\"42\" font-size=\"13\">true: <tspan font-weight=\"bold\">{Esc(Name(classNames, a.Label))}</tspan>, predicted: " +
                  $"<tspan font-weight=\"bold\" fill=\"{(right ? Palette.Green : Palette.Vermillion)}\">{Esc(Name(classNames, a.Predicted))}</tspan> (p = {F(a.Probability, "0.000")}){(right ? "" : ", wrong")}</text>\n");

        // Left column: the input, the rollout, the colour scale.
        sb.Append($"<g transform=\"translate({Margin},{Top})\"><use xlink:href=\"#image\" transform=\"scale({scale})\"/>");
        sb.Append($"<rect width=\"{panel}\" height=\"{panel}\" fill=\"none\" stroke=\"#333\"/><text x=\"{panel / 2}\" y=\"{panel + 15}\" text-anchor=\"middle\">input</text></g>\n");
        Heatmap(sb, a, a.Rollout, Margin, Top + panel + Caption, scale, "rollout");
        ColourScale(sb, Margin, Top + 2 * (panel + Caption) + 4, panel);

        // The grid: one row per layer, one column per head.
        for (int h = 0; h < a.Heads; h++)
            sb.Append($"<text x=\"{gridX + h * (panel + Gap) + panel / 2}\" y=\"{Top - 6}\" text-anchor=\"middle\" font-weight=\"bold\">head {h + 1}</text>\n");
        for (int l = 0; l < a.Layers; l++)
        {
            int y = Top + l * (panel + Caption);
            sb.Append($"<text transform=\"translate({gridX - 10},{y + panel / 2}) rotate(-90)\" text-anchor=\"middle\" font-weight=\"bold\">layer {l + 1}</text>\n");
            for (int h = 0; h < a.Heads; h++) Heatmap(sb, a, a.Head(l, h), gridX + h * (panel + Gap), y, scale, null);
        }
        return sb.Append("</svg>\n").ToString();
    }

    /// <summary>A patch map over the grey image, scaled to its maximum, with the maximum (and a label) under it.</summary>
    private static void Heatmap(StringBuilder sb, ImageAttention a, ReadOnlySpan<float> patches, int x, int y, int scale, string? label)
    {
        float max = 0;
        foreach (float v in patches) max = Math.Max(max, v);
        var pixels = a.OnPixels(patches);
        int size = a.ImageSize, panel = size * scale;
        sb.Append($"<g class=\"{HeatmapClass}\" transform=\"translate({x},{y})\"><g transform=\"scale({scale})\"><use xlink:href=\"#image\"/><g fill-opacity=\"0.62\">\n");
        sb.Append(PixelRects.Of(size, size, (r, c) => Palette.Viridis(max > 0 ? pixels[r * size + c] / max : 0)));
        sb.Append($"</g></g><rect width=\"{panel}\" height=\"{panel}\" fill=\"none\" stroke=\"#333\"/>");
        string caption = label is null ? $"max {F(max, "0.000")}" : $"{label} (max {F(max, "0.000")})";
        sb.Append($"<text x=\"{panel / 2}\" y=\"{panel + 15}\" text-anchor=\"middle\">{Esc(caption)}</text></g>\n");
    }

    private static void ColourScale(StringBuilder sb, int x, int y, int width)
    {
        sb.Append("<defs><linearGradient id=\"scale\">");
        for (int i = 0; i <= 8; i++) sb.Append($"<stop offset=\"{F(i / 8.0, "0.###")}\" stop-color=\"{Palette.Viridis(i / 8.0)}\"/>");
        sb.Append("</linearGradient></defs>\n");
        sb.Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{width}\" height=\"12\" fill=\"url(#scale)\" stroke=\"#333\"/>\n");
        sb.Append($"<text x=\"{x}\" y=\"{y + 26}\">0</text><text x=\"{x + width}\" y=\"{y + 26}\" text-anchor=\"end\">map's max</text>\n");
        sb.Append($"<text x=\"{x}\" y=\"{y + 42}\" font-size=\"10\" fill=\"#555\">class token's attention</text>\n");
    }

    private static string Name(IReadOnlyList<string> names, int k) => k >= 0 && k < names.Count ? names[k] : k.ToString(CultureInfo.InvariantCulture);
    private static string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
