using System.Globalization;
using System.Net;
using System.Text;

namespace Peakformer.Reports;

/// <summary>A plain, self-contained HTML report page: headings, notes, tables and the report's figures.</summary>
public sealed class HtmlPage
{
    private readonly StringBuilder _html = new();

    public HtmlPage(string title)
    {
        _html.Append($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{E(title)}}</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1080px; color: #222; }
            h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; } h3 { font-size: 1.05em; }
            table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
            th, td { border: 1px solid #ccc; padding: 4px 9px; text-align: right; } th { background: #f3f3f3; }
            td:first-child, th:first-child { text-align: left; }
            figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
            figcaption { font-size: 0.9em; color: #555; } .note { color: #555; font-size: 0.92em; }
            </style></head><body>
            <h1>{{E(title)}}</h1>

            """);
    }

    /// <summary>A number for a table cell; "-" for NaN and infinities.</summary>
    public static string F(double v, string format = "F4") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>A percentage for a table cell, e.g. 41.3%.</summary>
    public static string Percent(double fraction) => double.IsFinite(fraction) ? (100 * fraction).ToString("F1", CultureInfo.InvariantCulture) + "%" : "-";

    /// <summary>Text made safe for HTML.</summary>
    public static string E(string text) => WebUtility.HtmlEncode(text);

    public HtmlPage Heading(string text, int level = 2) => Raw($"<h{level}>{E(text)}</h{level}>\n");

    public HtmlPage Note(string html) => Raw($"<p class=\"note\">{html}</p>\n");

    /// <summary>A table; cells are HTML (encode text with <see cref="E"/>).</summary>
    public HtmlPage Table(IEnumerable<string> headers, IEnumerable<IEnumerable<string>> rows)
    {
        _html.Append("<table><tr>");
        foreach (var h in headers) _html.Append($"<th>{h}</th>");
        _html.Append("</tr>\n");
        foreach (var row in rows)
        {
            _html.Append("<tr>");
            foreach (var cell in row) _html.Append($"<td>{cell}</td>");
            _html.Append("</tr>\n");
        }
        _html.Append("</table>\n");
        return this;
    }

    public HtmlPage Figures(IEnumerable<(string File, string Caption)> figures)
    {
        Heading("Figures");
        foreach (var (file, caption) in figures)
            _html.Append($"<figure><img src=\"{E(file)}\" alt=\"{E(caption)}\"><figcaption>{E(caption)}</figcaption></figure>\n");
        return this;
    }

    public HtmlPage Raw(string html)
    {
        _html.Append(html);
        return this;
    }

    public string Render() => _html + "<p class=\"note\">Every number is also in <a href=\"metrics.json\">metrics.json</a>.</p></body></html>\n";
}
