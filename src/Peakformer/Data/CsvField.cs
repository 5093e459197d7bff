namespace Peakformer.Data;

/// <summary>Text written as, or read from, one CSV field (RFC 4180).</summary>
public static class CsvField
{
    /// <summary>The text, quoted (RFC 4180) when it holds a comma, quote or line break.</summary>
    public static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";

    /// <summary>
    /// The fields of one line, quotes removed ("a ""b""" is a "b"; a quoted comma stays in its field); null when a
    /// quote is left open or text follows a closing quote (a field spanning lines is not read).
    /// </summary>
    public static string[]? Split(string line)
    {
        if (line.IndexOf('"') < 0) return line.Split(',');
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            int begin = i;
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                for (i++; ; i++)
                {
                    if (i >= line.Length) return null;
                    if (line[i] != '"') field.Append(line[i]);
                    else if (i + 1 < line.Length && line[i + 1] == '"') field.Append(line[++i]);
                    else break;
                }
                for (i++; i < line.Length && line[i] == ' '; i++) { }
                if (i < line.Length && line[i] != ',') return null;
            }
            else
            {
                i = begin;
                while (i < line.Length && line[i] != ',') field.Append(line[i++]);
                if (field.ToString().Contains('"')) return null;
            }
            fields.Add(field.ToString());
            if (i >= line.Length) return [.. fields];
            i++; // the comma
        }
    }

    /// <summary>The line without a leading UTF-8 byte order mark (Excel writes one; it is not part of the first field).</summary>
    public static string WithoutBom(string line) => line.StartsWith('\uFEFF') ? line[1..] : line;
}
