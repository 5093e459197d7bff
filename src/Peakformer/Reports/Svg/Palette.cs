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
}
