using System.Globalization;
using Peakformer.Data;

namespace Peakformer.Workflows;

/// <summary>
/// Writes predict's peak rows (event,sample,time_ns,score; file,event,... from several files), each formatted into
/// one reused buffer: no string per row or field, over the millions of rows a large input gives. The text is that of
/// invariant "R" formatting (shortest round-trip), as the interpolated rows written before.
/// </summary>
public sealed class PeakRows(TextWriter writer, bool files, double samplingNs)
{
    private readonly char[] _row = new char[128]; // an int, an int, a double and a float in "R" form take at most about 60
    private string? _file;
    private string _quoted = "";

    public long Count { get; private set; }

    public void Header() => writer.Write(files ? "file,event,sample,time_ns,score\n" : "event,sample,time_ns,score\n");

    public void Write(string file, int evt, int sample, float score)
    {
        if (files)
        {
            // Rows of one file come together, so its quoted name is formed once per file.
            if (!ReferenceEquals(file, _file)) (_file, _quoted) = (file, CsvField.Quote(file));
            writer.Write(_quoted);
            writer.Write(',');
        }
        var row = _row.AsSpan();
        int at = 0;
        Append(row, ref at, evt);
        Append(row, ref at, sample);
        Append(row, ref at, sample * samplingNs, "R");
        Append(row, ref at, score, "R");
        row[at - 1] = '\n';
        writer.Write(row[..at]);
        Count++;
    }

    /// <summary>The value, then a comma.</summary>
    private static void Append<T>(Span<char> row, ref int at, T value, string? format = null) where T : ISpanFormattable
    {
        if (!value.TryFormat(row[at..], out int n, format, CultureInfo.InvariantCulture))
            throw new InvalidOperationException($"PeakRows: {value} does not fit the row buffer");
        at += n;
        row[at++] = ',';
    }
}
