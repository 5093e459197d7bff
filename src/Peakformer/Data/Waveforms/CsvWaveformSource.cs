using System.Globalization;
using System.Text;
using Peakformer.Data.Npy;
using Peakformer.DriftChamber.Physics;
using Peakformer.Engine.Files;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Waveforms from a CSV file, one waveform per line: optional leading columns named by <c>--csv-columns</c>
/// (a 'pedestal', 'gain' or 'sampling_ns' column among them is used), then the samples. A first line that is not
/// numbers (or any first line, with --csv-header) is a header; a first line of numbers only is waveform 0. Fields may be
/// quoted (RFC 4180); a UTF-8 byte order mark is skipped. Opening scans the file once (every line checked: same number
/// of fields, numbers only), keeping where each line starts and its line number (16 bytes per waveform, 8 more for
/// each pedestal or gain column); reads seek to their lines.
/// </summary>
public sealed class CsvWaveformSource : IWaveformSource
{
    /// <summary>Longest line read (a file cannot make the reader hold more than this at once).</summary>
    public const int MaxLineBytes = 64 << 20;

    private readonly FileStream _file;
    private readonly long[] _offsets;
    private readonly int _lead;
    private readonly AmplitudeScale _scale;
    private readonly long[] _lines;
    private readonly List<string> _notes = [];

    public CsvWaveformSource(string path, WaveformReadOptions options)
    {
        Path = path;
        if (NativeFiles.WhyNotInput(path) is { } why) throw new InputException($"{path}: {why}");
        _lead = options.CsvColumns.Count;
        var names = options.Names;
        // Column names match as the header check does: case aside.
        int Column(string array) => options.CsvColumns.ToList().FindIndex(c => string.Equals(c, names[array], StringComparison.OrdinalIgnoreCase));
        int pedestalColumn = Column("pedestal"), gainColumn = Column("gain"), samplingColumn = Column("sampling_ns");
        var offsets = new List<long>();
        var lines = new List<long>();
        var pedestal = new List<double>();
        var gain = new List<double>();
        double? sampling = null;
        int fields = -1;
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            long lineNumber = 0;
            foreach (var (offset, text) in Lines(_file, 0))
            {
                lineNumber++;
                if (text.Trim().Length == 0) continue;
                var parts = Fields(text, lineNumber);
                if (fields < 0)
                {
                    fields = parts.Length;
                    if (fields <= _lead)
                        throw InputException.At(path, lineNumber, null, $"the {_lead} leading column(s) of --csv-columns then at least one sample", $"{fields} field(s)");
                    // Header or data: a header has a field that is not a number (or --csv-header says so). A line of
                    // numbers only is data, so a file is never short of a waveform because its first one was taken for names.
                    if (options.CsvHeader || parts.Any(f => !Number(f, out _)))
                    {
                        // A header: its leading names must be the ones --csv-columns gives, or samples would be misread.
                        for (int i = 0; i < _lead; i++)
                            if (!string.Equals(parts[i].Trim(), options.CsvColumns[i], StringComparison.OrdinalIgnoreCase))
                                throw InputException.At(path, lineNumber, $"column {i + 1}", $"'{options.CsvColumns[i]}' (--csv-columns)", $"'{parts[i].Trim()}'");
                        continue;
                    }
                    if (LooksLikeColumnNumbers(parts.AsSpan(_lead)))
                        _notes.Add($"{path}:{lineNumber}: the first line reads {parts[_lead].Trim()},{parts[_lead + 1].Trim()},... (pandas' column labels?) and is read as waveform 0: give --csv-header if it is a header");
                }
                else if (parts.Length != fields)
                    throw InputException.At(path, lineNumber, null, $"{fields} fields like the first line", $"{parts.Length}");
                var values = new double[parts.Length];
                for (int i = 0; i < parts.Length; i++)
                    if (i >= _lead || i == pedestalColumn || i == gainColumn || i == samplingColumn)
                        values[i] = Number(parts[i], out double v) ? v
                            : throw InputException.At(path, lineNumber, $"column {i + 1}", "a number", $"'{parts[i].Trim()}'");
                if (pedestalColumn >= 0) pedestal.Add(values[pedestalColumn]);
                if (gainColumn >= 0) gain.Add(values[gainColumn]);
                if (samplingColumn >= 0)
                {
                    if (sampling is { } s && s != values[samplingColumn])
                        throw InputException.At(path, lineNumber, names["sampling_ns"], $"one sampling interval for the whole file ({Show(s)} ns)", Show(values[samplingColumn]));
                    sampling = values[samplingColumn];
                }
                offsets.Add(offset);
                lines.Add(lineNumber);
            }
            if (offsets.Count == 0) throw InputException.At(path, null, null, "at least one line of samples", "none");
            _offsets = [.. offsets];
            _lines = [.. lines];
            Count = _offsets.Length;
            Samples = fields - _lead;
            var calibration = WaveformCalibration.Resolve(path, names["sampling_ns"], NpyType.Float64, Count, sampling,
                pedestalColumn >= 0 ? [.. pedestal] : null, gainColumn >= 0 ? [.. gain] : null, options, _notes);
            SamplingNs = calibration.SamplingNs;
            _scale = calibration.Scale;
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public string Path { get; }
    public int Count { get; }
    public int Samples { get; }
    public double SamplingNs { get; }
    public int Files => 1;
    public string AmplitudeUnit => _scale.Unit;
    public IReadOnlyList<string> Notes => _notes;

    public (string File, int Event) Origin(int row) => (Path, row);

    public void ReadRows(int start, int count, Span<float> destination)
    {
        var row = new double[Samples];
        for (int r = 0; r < count; r++)
        {
            var (_, text) = Lines(_file, _offsets[start + r]).First();
            var parts = Fields(text, _lines[start + r]);
            if (parts.Length != _lead + Samples)
                throw InputException.At(Path, _lines[start + r], null, $"{_lead + Samples} fields", $"{parts.Length} (file changed while read?)");
            var dst = destination.Slice(r * Samples, Samples);
            if (_scale.IsIdentity)
            {
                // float.Parse rounds the text once, so a float32 written as its shortest text reads back bit for bit.
                for (int i = 0; i < Samples; i++)
                    dst[i] = float.TryParse(parts[_lead + i], NumberStyles.Float, CultureInfo.InvariantCulture, out float v) ? v
                        : throw InputException.At(Path, _lines[start + r], $"column {_lead + i + 1}", "a number", $"'{parts[_lead + i].Trim()}' (file changed while read?)");
                continue;
            }
            for (int i = 0; i < Samples; i++)
                row[i] = double.TryParse(parts[_lead + i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                    : throw InputException.At(Path, _lines[start + r], $"column {_lead + i + 1}", "a number", $"'{parts[_lead + i].Trim()}' (file changed while read?)");
            _scale.Apply(NpyType.Float64, System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.AsSpan()), start + r, 1, Samples, dst);
        }
    }

    /// <summary>
    /// Lines from a byte offset on, each with the offset where it starts (at most <see cref="MaxLineBytes"/> each).
    /// The stream must not move while the lines are taken (the scan reads them all, a row read only the first).
    /// </summary>
    private IEnumerable<(long Offset, string Text)> Lines(FileStream file, long from)
    {
        file.Position = from;
        var line = new MemoryStream();
        long start = from, position = from;
        var buffer = new byte[1 << 16];
        int n;
        while ((n = file.Read(buffer, 0, buffer.Length)) > 0)
        {
            int begin = 0;
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] != (byte)'\n') continue;
                line.Write(buffer, begin, i - begin);
                yield return (start, Text(line, start));
                line.SetLength(0);
                begin = i + 1;
                start = position + i + 1;
            }
            line.Write(buffer, begin, n - begin);
            if (line.Length > MaxLineBytes)
                throw InputException.At(Path, null, $"line starting at byte {start}", $"at most {MaxLineBytes} bytes per line", "more");
            position += n;
        }
        if (line.Length > 0) yield return (start, Text(line, start));
    }

    private static string Text(MemoryStream line, long start)
    {
        string text = Encoding.UTF8.GetString(line.GetBuffer(), 0, (int)line.Length).TrimEnd('\r');
        return start == 0 ? CsvField.WithoutBom(text) : text;
    }

    /// <summary>A line's fields, RFC 4180 quotes removed; a last field left empty by a trailing comma is an error here, where it is.</summary>
    private string[] Fields(string text, long lineNumber)
    {
        var parts = CsvField.Split(text)
            ?? throw InputException.At(Path, lineNumber, null, "fields quoted as RFC 4180 (\"...\" closed on the same line, then a comma)", $"'{Clip(text)}'");
        if (parts.Length > 1 && parts[^1].Trim().Length == 0)
            throw InputException.At(Path, lineNumber, $"column {parts.Length}", "a value after every comma", "the line ends in a comma (an empty last field)");
        return parts;
    }

    private static bool Number(string field, out double value) => double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>0,1,2,... or 1,2,3,...: what pandas writes as the header of an unnamed frame (to_csv without header=False).</summary>
    private static bool LooksLikeColumnNumbers(ReadOnlySpan<string> samples)
    {
        if (samples.Length < 2 || !Number(samples[0], out double first) || first is not (0 or 1)) return false;
        for (int i = 1; i < samples.Length; i++)
            if (!Number(samples[i], out double v) || v != first + i) return false;
        return true;
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "...";

    private static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    public void Dispose() => _file.Dispose();
}
