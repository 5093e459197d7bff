namespace Peakformer.Data;

/// <summary>One CSV line split into fields: the reverse of <see cref="CsvField.Quote"/> (RFC 4180 quotes on one line).</summary>
public static class CsvLine
{
    /// <summary>The fields of <paramref name="line"/>; null when a quote is left open (the caller names file and line).</summary>
    public static List<string>? Split(string line)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else quoted = false;
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        if (quoted) return null;
        fields.Add(field.ToString().TrimEnd('\r'));
        return fields;
    }
}
