using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Peakformer.Reports.Svg;

namespace Peakformer.Tests.Reports;

/// <summary>SvgPlot's category axis: level tick labels, or turned ones with the margins grown to hold them; valid XML either way.</summary>
public class SvgPlotTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private static readonly string[] Names = ["nominal", "white noise x1.5", "drift ramp 0.1 <&>", "cross-talk 10%"];

    private static XDocument Render(double angle) => XDocument.Parse(new SvgPlot("t", "set", "F1")
    {
        XTickLabels = Names, XTickAngle = angle, XMin = -0.5, XMax = Names.Length - 0.5,
    }.Points([0, 1, 2, 3], [0.5, 0.6, 0.4, 0.55], "#000").Render());

    private static double Number(XElement e, string attribute) => double.Parse(e.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    /// <summary>The plot frame: the last rect with a stroke, drawn after the layers.</summary>
    private static XElement Frame(XDocument svg) => svg.Root!.Elements(Svg + "rect").Last(r => r.Attribute("stroke")?.Value == "#333");

    [Fact]
    public void Turned_tick_labels_end_at_their_tick_and_stay_inside_the_picture()
    {
        var svg = Render(-35);
        var ticks = svg.Descendants(Svg + "text").Where(t => t.Attribute("class")?.Value == "x-tick").ToList();
        Assert.Equal(Names, ticks.Select(t => t.Value)); // escaped and read back whole
        double sin = Math.Sin(35 * Math.PI / 180), cos = Math.Cos(35 * Math.PI / 180);
        double axisLabel = svg.Root!.Elements(Svg + "text").Single(t => t.Value == "set").Attribute("y") is { } y ? double.Parse(y.Value, CultureInfo.InvariantCulture) : double.NaN;
        foreach (var t in ticks)
        {
            double x = Number(t, "x"), top = Number(t, "y");
            Assert.Equal("end", t.Attribute("text-anchor")!.Value);
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"rotate(-35 {x:0.##} {top:0.##})"), t.Attribute("transform")!.Value);
            // At 7 px a character the label runs from its tick down and to the left: above the axis label (13 px font), right of x = 0.
            double length = 7 * t.Value.Length;
            Assert.True(top + length * sin <= axisLabel - 13, $"{t.Value}: bottom {top + length * sin} against the axis label at {axisLabel}");
            Assert.True(x - length * cos >= 0, $"{t.Value}: left end {x - length * cos}");
        }
        // The frame shrinks by the longest label's drop: 460 - 40 - (56 + ceil(18 x 7 x sin 35)).
        Assert.Equal(460 - 40 - (56 + Math.Ceiling(18 * 7 * sin)), Number(Frame(svg), "height"));
    }

    [Fact]
    public void Level_tick_labels_are_centred_and_keep_the_default_frame()
    {
        var svg = Render(0);
        var ticks = svg.Descendants(Svg + "text").Where(t => t.Attribute("class")?.Value == "x-tick").ToList();
        Assert.All(ticks, t => Assert.Equal("middle", t.Attribute("text-anchor")!.Value));
        Assert.All(ticks, t => Assert.Null(t.Attribute("transform")));
        Assert.Equal(460 - 40 - 56, Number(Frame(svg), "height"));
        Assert.Equal(72, Number(Frame(svg), "x"));
    }
}
