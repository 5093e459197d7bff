using System.Globalization;
using System.Text;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Files;

namespace Peakformer.Data;

/// <summary>
/// The published peak-classification table as CSV: header <c>EvtNo,ID,Shift,Sigma,Time,Time0,...,Time{W-1}</c>,
/// one row per candidate window (ID 1 signal, 0 background, -1 unknown; Shift the window mean already subtracted
/// from the samples; Sigma the scale, 1). Reading reports the line and column of any malformed field.
/// </summary>
public static class WindowCsv
{
    /// <summary>
    /// Largest magnitude accepted in a numeric cell: beyond any time (100,000 samples of 100 ns) or amplitude
    /// (1e6) the simulator writes, far below what overflows float arithmetic in the first layer (3e38 does).
    /// </summary>
    public const float MaxMagnitude = 1e9f;

    public static string Header(int length) =>
        "EvtNo,ID,Shift,Sigma,Time," + string.Join(",", Enumerable.Range(0, length).Select(i => $"Time{i}"));

    /// <summary>Writes rows through a temporary file renamed into place at the end.</summary>
    public static void Write(string path, IEnumerable<WindowSet> chunks, int length)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(Header(length));
            writer.Write('\n');
            var line = new StringBuilder();
            foreach (var set in chunks)
            {
                if (set.Length != length) throw new ArgumentException($"WindowCsv: windows of {set.Length} samples in a {length}-sample table.");
                for (int r = 0; r < set.Count; r++)
                {
                    line.Clear();
                    line.Append(set.Event[r]).Append(',').Append(set.Label[r]).Append(',')
                        .Append(set.Shift[r].ToString("R", CultureInfo.InvariantCulture)).Append(',')
                        .Append(set.Sigma[r].ToString("R", CultureInfo.InvariantCulture)).Append(',').Append(set.Time[r]);
                    foreach (var v in set.Row(r)) line.Append(',').Append(v.ToString("R", CultureInfo.InvariantCulture));
                    line.Append('\n');
                    writer.Write(line);
                }
            }
        });
    }

    /// <summary>Whether a single .csv file is a window table (its header starts with EvtNo, whatever the case) rather than a CSV of whole waveforms.</summary>
    public static bool IsWindowTable(string path) =>
        Waveforms.WaveformSources.IsSingle(path) && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && NativeFiles.WhyNotInput(path) is null
        && File.ReadLines(path).FirstOrDefault() is { } first && CsvField.WithoutBom(first).StartsWith("EvtNo,", StringComparison.OrdinalIgnoreCase);

    public static WindowSet Read(string path)
    {
        if (NativeFiles.WhyNotInput(path) is { } why) throw new InputException($"{path}: {why}");
        using var reader = new StreamReader(path);
        string? header = reader.ReadLine();
        if (header is null) throw new InputException($"{path}:1: expected header EvtNo,ID,Shift,Sigma,Time,Time0,..., found an empty file");
        var columns = header.Trim().Split(',');
        int length = columns.Length - 5;
        // Names match whatever their case (a table exported by another tool may write evtno or TIME0).
        if (length < 1 || !columns.Take(5).SequenceEqual(["EvtNo", "ID", "Shift", "Sigma", "Time"], StringComparer.OrdinalIgnoreCase)
            || !columns.Skip(5).Select((c, i) => string.Equals(c, $"Time{i}", StringComparison.OrdinalIgnoreCase)).All(ok => ok))
            throw new InputException($"{path}:1: expected header EvtNo,ID,Shift,Sigma,Time,Time0,...,TimeN, found '{Truncate(header)}'");
        var set = new WindowSet(length);
        var window = new float[length];
        long lineNumber = 1;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length != columns.Length)
                throw new InputException($"{path}:{lineNumber}: expected {columns.Length} fields, found {f.Length}");
            int evt = Int(f[0], columns[0]);
            int id = Int(f[1], columns[1]);
            if (id is < -1 or > 1) throw InputException.At(path, lineNumber, "ID", "1, 0 or -1", f[1]);
            float shift = Float(f[2], columns[2]), sigma = Float(f[3], columns[3]);
            int time = Int(f[4], columns[4]);
            for (int i = 0; i < length; i++) window[i] = Float(f[5 + i], columns[5 + i]);
            set.Add(evt, time, (sbyte)id, shift, sigma, window);
        }
        return set;

        int Int(string s, string column) =>
            int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue ? (int)d
            : throw InputException.At(path, lineNumber, column, "an integer", $"'{s}'");
        // Windows are samples minus their mean, in waveform units (noise rms 0.025, an electron about 0.5): a value
        // beyond MaxMagnitude is corrupt, and near float's limit it would overflow to infinity in the first layer.
        float Float(string s, string column) =>
            float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out float v) && float.IsFinite(v) && Math.Abs(v) <= MaxMagnitude ? v
            : throw InputException.At(path, lineNumber, column, $"a finite number within +-{MaxMagnitude:G}", $"'{s}'");
    }

    private static string Truncate(string s) => s.Length > 80 ? s[..80] + "..." : s;
}
