using System.Text;

namespace Peakformer.Reports.Svg;

/// <summary>
/// A raster as SVG rectangles in pixel units (one unit per pixel; scale it with a transform): runs of equal colour
/// along a row become one rectangle, so a 28x28 image with a dark background or a patch map stays small.
/// </summary>
public static class PixelRects
{
    /// <summary>Rectangles for a width x height raster; <paramref name="colour"/> of (row, column), null for none.</summary>
    public static string Of(int width, int height, Func<int, int, string?> colour, string extra = "")
    {
        var sb = new StringBuilder();
        for (int y = 0; y < height; y++)
        {
            int x = 0;
            while (x < width)
            {
                string? c = colour(y, x);
                int end = x + 1;
                while (end < width && colour(y, end) == c) end++;
                if (c is not null) sb.Append($"<rect x=\"{x}\" y=\"{y}\" width=\"{end - x}\" height=\"1\" fill=\"{c}\"{extra}/>");
                x = end;
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>An image [C, H, W] with values in [0, 1] in grey (the channels' mean).</summary>
    public static string Grey(ReadOnlySpan<float> image, int channels, int height, int width)
    {
        var grey = new double[height * width];
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < grey.Length; i++) grey[i] += image[c * grey.Length + i] / channels;
        return Of(width, height, (y, x) => Palette.Grey01(grey[y * width + x]));
    }
}
