using Peakformer.Engine.Files;

namespace Peakformer.Data;

/// <summary>
/// A CSV with a header, read row by row so memory holds one row (count tables, track maps), each value reached by
/// column name; names match whatever their case (Event, EVENT and event are one column, so two of them are an
/// error). Every failure is an <see cref="InputException"/> naming file, line, column, what was expected and found.
/// </summary>
public sealed class CsvTable : IDisposable
{
    private readonly StreamReader _reader;
    private readonly Dictionary<string, int> _columns;
    private readonly int _fields;
    private bool _read;

    private CsvTable(string path, StreamReader reader, Dictionary<string, int> columns, int fields) =>
        (Path, _reader, _columns, _fields) = (path, reader, columns, fields);

    public string Path { get; }

    /// <summary>Opens the file and reads its header; <paramref name="expected"/> says what the header should hold.</summary>
    public static CsvTable Open(string path, string expected)
    {
        if (NativeFiles.WhyNotInput(path) is { } why) throw new InputException($"{path}: {why}");
        var reader = new StreamReader(path);
        try
        {
            string? header = reader.ReadLine();
            if (header is null) throw InputException.At(path, 1, "header", expected, "an empty file");
            var names = CsvField.Split(header) ?? throw InputException.At(path, 1, "header", "closed quotes", "an open quote");
            var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (int i = 0; i < names.Length; i++)
                if (!columns.TryAdd(names[i].Trim(), i)) throw InputException.At(path, 1, names[i].Trim(), "each column once (names match whatever their case)", "it twice");
            return new CsvTable(path, reader, columns, names.Length);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    public bool Has(string column) => _columns.ContainsKey(column);

    /// <summary>The header's names (trimmed), in file order.</summary>
    public IReadOnlyList<string> Columns => _columns.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList();

    public int Column(string column, string expected) =>
        _columns.TryGetValue(column, out int i) ? i : throw InputException.At(Path, 1, "header", $"a column '{column}' ({expected})", string.Join(",", _columns.Keys));

    /// <summary>The data rows, read on as they are enumerated (once); blank lines are skipped.</summary>
    public IEnumerable<CsvRow> Rows()
    {
        if (_read) throw new InvalidOperationException($"{Path}: rows are read once");
        _read = true;
        long number = 1;
        string? line;
        while ((line = _reader.ReadLine()) is not null)
        {
            number++;
            if (line.Trim().Length == 0) continue;
            var fields = CsvField.Split(line) ?? throw InputException.At(Path, number, null, "closed quotes", "an open quote");
            if (fields.Length != _fields) throw InputException.At(Path, number, null, $"{_fields} fields as in the header", $"{fields.Length}");
            yield return new CsvRow(Path, number, fields);
        }
    }

    public void Dispose() => _reader.Dispose();
}
