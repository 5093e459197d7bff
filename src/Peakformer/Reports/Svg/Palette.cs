namespace Peakformer.Reports.Svg;

/// <summary>Okabe-Ito colours (distinguishable with colour-vision deficiencies), in the order series get them.</summary>
public static class Palette
{
    public const string Black = "#000000";
    public const string Orange = "#E69F00";
    public const string LightOrange = "#F5D08A";
    public const string SkyBlue = "#56B4E9";
    public const string Green = "#009E73";
    public const string Yellow = "#F0E442";
    public const string Blue = "#0072B2";
    public const string Vermillion = "#D55E00";
    public const string Purple = "#CC79A7";
    public const string Grey = "#888888";

    public static readonly IReadOnlyList<string> Series = [Blue, Vermillion, Green, Purple, SkyBlue, Orange, Grey, Black];

    public static string Nth(int i) => Series[i % Series.Count];

    /// <summary>Sequential blue, white (0) to #08306b (1), for shares (the confusion matrix).</summary>
    public static string Blues(double t) => Mix(t, (255, 255, 255), (8, 48, 107));

    /// <summary>Viridis (dark purple 0, yellow 1), five stops interpolated: ordered, and readable in grey too (attention maps).</summary>
    public static string Viridis(double t)
    {
        t = Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1) * (ViridisStops.Length - 1);
        int i = Math.Min((int)t, ViridisStops.Length - 2);
        return Mix(t - i, ViridisStops[i], ViridisStops[i + 1]);
    }

    /// <summary>Grey level of a pixel value in [0, 1] (black 0, white 1).</summary>
    public static string Grey01(double v)
    {
        int g = (int)Math.Round(255 * Math.Clamp(double.IsFinite(v) ? v : 0, 0, 1));
        return $"#{g:x2}{g:x2}{g:x2}";
    }

    private static readonly (int R, int G, int B)[] ViridisStops = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)];

    private static string Mix(double t, (int R, int G, int B) from, (int R, int G, int B) to)
    {
        t = Math.Clamp(double.IsFinite(t) ? t : 0, 0, 1);
        int C(int a, int b) => (int)Math.Round(a + t * (b - a));
        return $"#{C(from.R, to.R):x2}{C(from.G, to.G):x2}{C(from.B, to.B):x2}";
    }
}
