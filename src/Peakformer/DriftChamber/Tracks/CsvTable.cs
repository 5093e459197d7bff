using System.Globalization;
using Peakformer.Data;
using Peakformer.Engine.Files;

namespace Peakformer.DriftChamber.Tracks;

/// <summary>
/// A small CSV with a header read whole (count tables, track maps: one row per cell), each value reached by column
/// name, every failure an <see cref="InputException"/> naming file, line, column, what was expected and what was found.
/// </summary>
internal sealed class CsvTable
{
    private readonly Dictionary<string, int> _columns;

    private CsvTable(string path, Dictionary<string, int> columns, List<(long Line, string[] Fields)> rows) =>
        (Path, _columns, Rows) = (path, columns, rows);

    public string Path { get; }
    public List<(long Line, string[] Fields)> Rows { get; }

    public static CsvTable Read(string path, string expected)
    {
        if (NativeFiles.WhyNotInput(path) is { } why) throw new InputException($"{path}: {why}");
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null) throw InputException.At(path, 1, "header", expected, "an empty file");
        var names = CsvField.Split(header) ?? throw InputException.At(path, 1, "header", "closed quotes", "an open quote");
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++)
            if (!columns.TryAdd(names[i].Trim(), i)) throw InputException.At(path, 1, names[i].Trim(), "each column once", "it twice");
        var rows = new List<(long, string[])>();
        long number = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (line.Trim().Length == 0) continue;
            var fields = CsvField.Split(line) ?? throw InputException.At(path, number, null, "closed quotes", "an open quote");
            if (fields.Length != names.Length) throw InputException.At(path, number, null, $"{names.Length} fields as in the header", $"{fields.Length}");
            rows.Add((number, fields));
        }
        return new CsvTable(path, columns, rows);
    }

    public bool Has(string column) => _columns.ContainsKey(column);

    public int Column(string column, string expected) =>
        _columns.TryGetValue(column, out int i) ? i : throw InputException.At(Path, 1, "header", $"a column '{column}' ({expected})", string.Join(",", _columns.Keys));

    public string Text(int row, int column, string name)
    {
        string text = Rows[row].Fields[column].Trim();
        return text.Length > 0 ? text : throw InputException.At(Path, Rows[row].Line, name, "a value", "an empty field");
    }

    public int Index(int row, int column, string name)
    {
        string text = Text(row, column, name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v
            : throw InputException.At(Path, Rows[row].Line, name, "a non-negative integer", $"'{text}'");
    }

    /// <summary>A finite number in (min, max] or [min, max] (<paramref name="zero"/>: whether min itself is allowed).</summary>
    public double Number(int row, int column, string name, double min, double max, bool zero)
    {
        string text = Text(row, column, name);
        bool ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                  && double.IsFinite(v) && (zero ? v >= min : v > min) && v <= max;
        return ok ? v : throw InputException.At(Path, Rows[row].Line, name,
            $"a number {(zero ? "at least" : "above")} {Finite.Describe(min)} and at most {Finite.Describe(max)}", $"'{text}'");
    }
}
