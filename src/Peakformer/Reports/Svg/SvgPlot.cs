using System.Globalization;
using System.Security;
using System.Text;
using Peakformer.Engine.Files;

namespace Peakformer.Reports.Svg;

/// <summary>
/// A small 2D plot rendered to standalone SVG: lines, markers, vertical marker lines, step histograms and
/// error bars on linear or log axes, with ticks, grid, axis labels, title and legend.
/// </summary>
public sealed class SvgPlot
{
    private readonly List<Action<StringBuilder>> _layers = [];
    private readonly List<(string Label, string Color, string Kind, string? Dash)> _legend = [];
    private double _xMin = double.PositiveInfinity, _xMax = double.NegativeInfinity, _yMin = double.PositiveInfinity, _yMax = double.NegativeInfinity;

    public SvgPlot(string title, string xLabel, string yLabel, int width = 820, int height = 460)
    {
        (Title, XLabel, YLabel, Width, Height) = (title, xLabel, yLabel, width, height);
    }

    public string Title { get; }
    public string XLabel { get; }
    public string YLabel { get; }
    public int Width { get; }
    public int Height { get; }
    public bool LogX { get; init; }
    public bool LogY { get; init; }
    public double? XMin { get; set; }
    public double? XMax { get; set; }
    public double? YMin { get; set; }
    public double? YMax { get; set; }
    /// <summary>Legend corner: "top-right", "top-left", "bottom-right", "bottom-left", or "outside" (right of the plot).</summary>
    public string LegendPosition { get; set; } = "top-right";
    /// <summary>Category names for x = 0, 1, 2, ... (a binned axis labelled by its bins, e.g. "4-5", "6+"); null for numeric ticks.</summary>
    public IReadOnlyList<string>? XTickLabels { get; init; }
    /// <summary>
    /// Degrees the <see cref="XTickLabels"/> are turned, e.g. -35: long names read up to the right and end at their
    /// tick; the bottom (and if need be left) margin grows to hold the longest. 0: level, centred under the tick.
    /// </summary>
    public double XTickAngle { get; init; }
    /// <summary>Id of the plot's clip path: unique per plot when several share one SVG document (<see cref="PanelStack"/>).</summary>
    public string ClipId { get; set; } = "plot";
    /// <summary>Legend width in pixels at least this: panels stacked on one time axis get the same right margin.</summary>
    public int MinLegendWidth { get; set; }

    private const int BaseLeft = 72, Top = 40, BaseBottom = 56;
    /// <summary>Pixels per character at font size 12 (Helvetica's average, as the legend width assumes).</summary>
    private const double CharWidth = 7;
    private bool Turned => XTickAngle != 0 && XTickLabels is { Count: > 0 };
    /// <summary>The bottom margin: the tick labels' drop (turned, their length times sin of the angle) above the axis label.</summary>
    private int Bottom => Turned ? BaseBottom + (int)Math.Ceiling(XTickLabels!.Max(l => l.Length) * CharWidth * Math.Abs(Math.Sin(XTickAngle * Math.PI / 180))) : BaseBottom;
    /// <summary>The left margin: wide enough that the first turned label (which ends at its tick) does not leave the picture.</summary>
    private int Left => Turned ? Math.Max(BaseLeft, (int)Math.Ceiling(XTickLabels![0].Length * CharWidth * Math.Cos(XTickAngle * Math.PI / 180)) + 8) : BaseLeft;
    private int Right => LegendPosition == "outside" && _legend.Count > 0 ? LegendWidth + 36 : 24;
    /// <summary>Legend width in pixels (0 without a legend).</summary>
    public int LegendWidth => _legend.Count == 0 ? 0 : Math.Max(MinLegendWidth, 24 + 7 * _legend.Max(l => l.Label.Length) + 16);
    private AxisScale _x = null!, _y = null!;

    private void Extend(IEnumerable<double> xs, IEnumerable<double> ys)
    {
        foreach (var x in xs) if (double.IsFinite(x) && (!LogX || x > 0)) { _xMin = Math.Min(_xMin, x); _xMax = Math.Max(_xMax, x); }
        foreach (var y in ys) if (double.IsFinite(y) && (!LogY || y > 0)) { _yMin = Math.Min(_yMin, y); _yMax = Math.Max(_yMax, y); }
    }

    public SvgPlot Line(IReadOnlyList<double> x, IReadOnlyList<double> y, string color, string? label = null, double width = 1.4, string? dash = null)
    {
        Extend(x, y);
        _layers.Add(sb =>
        {
            var path = new StringBuilder();
            bool pen = false;
            for (int i = 0; i < x.Count; i++)
            {
                if (!Valid(x[i], y[i])) { pen = false; continue; }
                path.Append(pen ? 'L' : 'M').Append(F(Px(x[i]))).Append(',').Append(F(Py(y[i])));
                pen = true;
            }
            sb.Append($"<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{F(width)}\" stroke-linejoin=\"round\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>\n");
        });
        if (label is not null) _legend.Add((label, color, "line", dash));
        return this;
    }

    public SvgPlot Points(IReadOnlyList<double> x, IReadOnlyList<double> y, string color, string? label = null, double radius = 3.2)
    {
        Extend(x, y);
        _layers.Add(sb =>
        {
            for (int i = 0; i < x.Count; i++)
                if (Valid(x[i], y[i])) sb.Append($"<circle cx=\"{F(Px(x[i]))}\" cy=\"{F(Py(y[i]))}\" r=\"{F(radius)}\" fill=\"{color}\" stroke=\"white\" stroke-width=\"0.6\"/>\n");
        });
        if (label is not null) _legend.Add((label, color, "point", null));
        return this;
    }

    /// <summary>Vertical lines across the plot at the given x positions (e.g. truth arrival times).</summary>
    public SvgPlot VerticalLines(IEnumerable<double> xs, string color, string? label = null, double width = 1, double opacity = 0.9)
    {
        var list = xs.ToList();
        Extend(list, []);
        _layers.Insert(0, sb =>
        {
            foreach (var x in list)
                if (Valid(x, null)) sb.Append($"<line x1=\"{F(Px(x))}\" x2=\"{F(Px(x))}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"{color}\" stroke-width=\"{F(width)}\" stroke-opacity=\"{F(opacity)}\"/>\n");
        });
        if (label is not null) _legend.Add((label, color, "vline", null));
        return this;
    }

    /// <summary>A legend line of text alone, with no symbol (e.g. "truth: none").</summary>
    public SvgPlot LegendNote(string text)
    {
        _legend.Add((text, "", "text", null));
        return this;
    }

    /// <summary>A step histogram from bin edges (counts.Length + 1 edges).</summary>
    public SvgPlot Histogram(IReadOnlyList<double> edges, IReadOnlyList<double> counts, string color, string? label = null, bool fill = true)
    {
        Extend(edges, counts.Append(0));
        _layers.Add(sb =>
        {
            var path = new StringBuilder($"M{F(Px(edges[0]))},{F(Py(Math.Max(_y.Min, LogY ? _y.Min : 0)))}");
            for (int i = 0; i < counts.Count; i++)
            {
                double y = LogY && counts[i] <= 0 ? _y.Min : counts[i];
                path.Append($"L{F(Px(edges[i]))},{F(Py(y))}L{F(Px(edges[i + 1]))},{F(Py(y))}");
            }
            path.Append($"L{F(Px(edges[^1]))},{F(Py(Math.Max(_y.Min, LogY ? _y.Min : 0)))}");
            sb.Append($"<path d=\"{path}\" fill=\"{(fill ? color : "none")}\" fill-opacity=\"0.25\" stroke=\"{color}\" stroke-width=\"1.5\"/>\n");
        });
        if (label is not null) _legend.Add((label, color, "box", null));
        return this;
    }

    /// <summary>A shaded region between two curves over the same x (e.g. mean ± one standard deviation), drawn beneath the lines.</summary>
    public SvgPlot Band(IReadOnlyList<double> x, IReadOnlyList<double> low, IReadOnlyList<double> high, string color, string? label = null, double opacity = 0.25)
    {
        Extend(x, low.Concat(high));
        _layers.Insert(0, sb =>
        {
            var path = new StringBuilder();
            for (int i = 0; i < x.Count; i++)
                if (Valid(x[i], high[i])) path.Append(path.Length == 0 ? 'M' : 'L').Append(F(Px(x[i]))).Append(',').Append(F(Py(high[i])));
            for (int i = x.Count - 1; i >= 0; i--)
                if (Valid(x[i], low[i])) path.Append('L').Append(F(Px(x[i]))).Append(',').Append(F(Py(low[i])));
            if (path.Length > 0) sb.Append($"<path class=\"band\" d=\"{path}Z\" fill=\"{color}\" fill-opacity=\"{F(opacity)}\" stroke=\"none\"/>\n");
        });
        if (label is not null) _legend.Add((label, color, "box", null));
        return this;
    }

    /// <summary>Points with vertical error bars.</summary>
    public SvgPlot ErrorBars(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> error, string color, string? label = null) =>
        IntervalBars(x, y, y.Zip(error, (a, e) => a - e).ToArray(), y.Zip(error, (a, e) => a + e).ToArray(), color, label);

    /// <summary>Points with vertical bars from low to high (asymmetric intervals, e.g. binomial confidence intervals).</summary>
    public SvgPlot IntervalBars(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<double> low, IReadOnlyList<double> high, string color, string? label = null)
    {
        Extend(x, low.Concat(high));
        _layers.Add(sb =>
        {
            for (int i = 0; i < x.Count; i++)
            {
                if (!Valid(x[i], y[i])) continue;
                double px = Px(x[i]);
                sb.Append($"<line class=\"error-bar\" x1=\"{F(px)}\" x2=\"{F(px)}\" y1=\"{F(Py(low[i]))}\" y2=\"{F(Py(high[i]))}\" stroke=\"{color}\" stroke-width=\"1.2\"/>\n");
                sb.Append($"<circle cx=\"{F(px)}\" cy=\"{F(Py(y[i]))}\" r=\"3\" fill=\"{color}\"/>\n");
            }
        });
        if (label is not null) _legend.Add((label, color, "point", null));
        return this;
    }

    public string Render()
    {
        _x = new AxisScale(LogX);
        _y = new AxisScale(LogY);
        _x.Fit(XMin ?? (double.IsFinite(_xMin) ? _xMin : 0), XMax ?? (double.IsFinite(_xMax) ? _xMax : 1));
        _y.Fit(YMin ?? (double.IsFinite(_yMin) ? _yMin : 0), YMax ?? (double.IsFinite(_yMax) ? _yMax : 1));
        if (XMin is { } x0 && XMax is { } x1) _x.Set(x0, x1);
        if (YMin is { } y0 && YMax is { } y1) _y.Set(y0, y1);
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        sb.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Esc(Title)}</text>\n");
        foreach (var (t, label) in XTicks())
        {
            double px = Px(t);
            sb.Append($"<line x1=\"{F(px)}\" x2=\"{F(px)}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#e4e4e4\"/>\n");
            sb.Append(Turned
                ? $"<text class=\"x-tick\" x=\"{F(px)}\" y=\"{Height - Bottom + 14}\" text-anchor=\"end\" transform=\"rotate({F(XTickAngle)} {F(px)} {Height - Bottom + 14})\">{Esc(label)}</text>\n"
                : $"<text class=\"x-tick\" x=\"{F(px)}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{Esc(label)}</text>\n");
        }
        foreach (var t in _y.Ticks())
        {
            double py = Py(t);
            sb.Append($"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(py)}\" y2=\"{F(py)}\" stroke=\"#e4e4e4\"/>\n");
            sb.Append($"<text x=\"{Left - 6}\" y=\"{F(py + 4)}\" text-anchor=\"end\">{Esc(AxisScale.Label(t, LogY))}</text>\n");
        }
        sb.Append($"<defs><clipPath id=\"{ClipId}\"><rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\"/></clipPath></defs>\n<g clip-path=\"url(#{ClipId})\">\n");
        foreach (var layer in _layers) layer(sb);
        sb.Append("</g>\n");
        sb.Append($"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#333\"/>\n");
        sb.Append($"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 14}\" text-anchor=\"middle\" font-size=\"13\">{Esc(XLabel)}</text>\n");
        sb.Append($"<text transform=\"translate(18,{(Top + Height - Bottom) / 2}) rotate(-90)\" text-anchor=\"middle\" font-size=\"13\">{Esc(YLabel)}</text>\n");
        Legend(sb);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    public void Save(string path) => AtomicFile.Write(path, s =>
    {
        var bytes = Encoding.UTF8.GetBytes(Render());
        s.Write(bytes);
    });

    private void Legend(StringBuilder sb)
    {
        if (_legend.Count == 0) return;
        int w = LegendWidth, h = 8 + 18 * _legend.Count;
        bool outside = LegendPosition == "outside";
        bool right = outside || LegendPosition.EndsWith("right", StringComparison.Ordinal), top = outside || LegendPosition.StartsWith("top", StringComparison.Ordinal);
        double x = outside ? Width - w - 12 : right ? Width - Right - w - 8 : Left + 8, y = top ? Top + 8 : Height - Bottom - h - 8;
        sb.Append($"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{w}\" height=\"{h}\" fill=\"white\" fill-opacity=\"0.9\" stroke=\"#bbb\"/>\n");
        for (int i = 0; i < _legend.Count; i++)
        {
            var (label, color, kind, dash) = _legend[i];
            double cy = y + 14 + 18 * i;
            sb.Append(kind switch
            {
                "point" => $"<circle cx=\"{F(x + 14)}\" cy=\"{F(cy)}\" r=\"3.5\" fill=\"{color}\"/>",
                "vline" => $"<line x1=\"{F(x + 14)}\" x2=\"{F(x + 14)}\" y1=\"{F(cy - 6)}\" y2=\"{F(cy + 6)}\" stroke=\"{color}\" stroke-width=\"2\"/>",
                "text" => "",
                "box" => $"<rect x=\"{F(x + 6)}\" y=\"{F(cy - 5)}\" width=\"16\" height=\"10\" fill=\"{color}\" fill-opacity=\"0.35\" stroke=\"{color}\"/>",
                _ => $"<line x1=\"{F(x + 4)}\" x2=\"{F(x + 24)}\" y1=\"{F(cy)}\" y2=\"{F(cy)}\" stroke=\"{color}\" stroke-width=\"2\"{(dash is null ? "" : $" stroke-dasharray=\"{dash}\"")}/>",
            });
            sb.Append($"<text class=\"legend\" x=\"{F(kind == "text" ? x + 8 : x + 30)}\" y=\"{F(cy + 4)}\">{Esc(label)}</text>\n");
        }
    }

    private IEnumerable<(double X, string Label)> XTicks() => XTickLabels is { } names
        ? names.Select((n, i) => ((double)i, n)).Where(t => t.Item1 >= _x.Min && t.Item1 <= _x.Max)
        : _x.Ticks().Select(t => (t, AxisScale.Label(t, LogX)));

    private bool Valid(double x, double? y) =>
        double.IsFinite(x) && (!LogX || x > 0) && (y is null || (double.IsFinite(y.Value) && (!LogY || y.Value > 0)));

    private double Px(double x) => Left + _x.Fraction(x) * (Width - Left - Right);
    private double Py(double y) => Height - Bottom - _y.Fraction(y) * (Height - Top - Bottom);
    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
