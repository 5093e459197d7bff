using System.Security;
using System.Text;
using Peakformer.Engine.Files;

namespace Peakformer.Reports.Svg;

/// <summary>
/// Plots stacked one above the other in one SVG under a common title, drawn with the same width and right margin so
/// that panels given the same x range share one x axis. Each panel is a nested &lt;svg class="panel"&gt;.
/// </summary>
public sealed class PanelStack(string title, IReadOnlyList<SvgPlot> panels)
{
    private const int TitleHeight = 30;

    public string Title { get; } = title;
    public IReadOnlyList<SvgPlot> Panels { get; } = panels.Count > 0 ? panels : throw new ArgumentException("a stack needs at least one panel", nameof(panels));

    public string Render()
    {
        int width = Panels.Max(p => p.Width), height = TitleHeight + Panels.Sum(p => p.Height);
        // Equal legend widths give equal right margins, so the time axes line up.
        int legend = Panels.Max(p => p.LegendWidth);
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
        sb.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{width / 2}\" y=\"21\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{SecurityElement.Escape(Title)}</text>\n");
        int y = TitleHeight;
        for (int i = 0; i < Panels.Count; i++)
        {
            var panel = Panels[i];
            panel.ClipId = $"panel{i}";
            panel.MinLegendWidth = legend;
            string inner = panel.Render();
            // The panel's own document element becomes a positioned nested <svg>.
            int open = inner.IndexOf('>') + 1;
            sb.Append($"<svg class=\"panel\" x=\"0\" y=\"{y}\" width=\"{panel.Width}\" height=\"{panel.Height}\">\n");
            sb.Append(inner, open, inner.Length - open);
            y += panel.Height;
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    public void Save(string path) => AtomicFile.Write(path, s => s.Write(Encoding.UTF8.GetBytes(Render())));
}
