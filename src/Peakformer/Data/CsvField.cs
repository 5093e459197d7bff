namespace Peakformer.Data;

/// <summary>Text written as one CSV field.</summary>
public static class CsvField
{
    /// <summary>The text, quoted (RFC 4180) when it holds a comma, quote or line break.</summary>
    public static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";
}
