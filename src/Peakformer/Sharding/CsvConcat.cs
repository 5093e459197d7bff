using Peakformer.Engine.Files;

namespace Peakformer.Sharding;

/// <summary>
/// Joins CSV tables (predict's peaks or counts, count's counts.csv) that share their header line: the header once,
/// then every table's rows as they are, in the order given. The bytes are copied, so numbers are not re-printed.
/// </summary>
public static class CsvConcat
{
    /// <summary>Longest header line read: a table's header is its column names.</summary>
    private const int MaxHeader = 1 << 20;

    /// <summary>Writes the joined table to <paramref name="output"/>; returns its number of rows.</summary>
    public static long Write(IReadOnlyList<string> inputs, string output)
    {
        byte[]? header = null;
        string? headerOf = null;
        long rows = 0;
        AtomicFile.Write(output, stream =>
        {
            var buffer = new byte[1 << 16];
            foreach (string path in inputs)
            {
                using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
                byte[] line = HeaderLine(input, path);
                if (header is null)
                {
                    (header, headerOf) = (line, path);
                    stream.Write(line);
                }
                else if (!line.AsSpan().SequenceEqual(header))
                    throw new InputException($"{path}: header '{Text(line)}' differs from {headerOf}'s '{Text(header)}': not shards of one table");
                int read;
                byte last = (byte)'\n';
                while ((read = input.Read(buffer)) > 0)
                {
                    stream.Write(buffer, 0, read);
                    rows += buffer.AsSpan(0, read).Count((byte)'\n');
                    last = buffer[read - 1];
                }
                if (last != '\n') throw new InputException($"{path}: expected a table whose last row ends with a line break, found a last line without one (truncated?)");
            }
        });
        return rows;
    }

    private static byte[] HeaderLine(Stream input, string path)
    {
        var line = new List<byte>();
        int b;
        while ((b = input.ReadByte()) >= 0)
        {
            line.Add((byte)b);
            if (b == '\n') return [.. line];
            if (line.Count > MaxHeader) throw new InputException($"{path}: expected a CSV header line, found more than {MaxHeader:N0} bytes without a line break");
        }
        throw new InputException($"{path}: expected a CSV table with a header line, found {(line.Count == 0 ? "an empty file" : "no line break")}");
    }

    private static string Text(byte[] line) => System.Text.Encoding.UTF8.GetString(line).TrimEnd('\n', '\r');
}
