using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Peakformer.Data.Npy;

/// <summary>
/// Reads a NumPy .npz archive (np.savez / np.savez_compressed). Arrays load whole, or row by row for large 2D
/// arrays. A file that is not a zip, is truncated, or lacks an expected array is reported by name.
/// </summary>
public sealed class NpzReader : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = [];

    public NpzReader(string path)
    {
        Path = path;
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        try
        {
            _zip = ZipFile.OpenRead(path);
            foreach (var entry in _zip.Entries)
                if (entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) _entries[entry.FullName[..^4]] = entry;
        }
        catch (InvalidDataException)
        {
            throw new InputException($"{path}: not a .npz archive, or truncated (no readable zip directory)");
        }
    }

    public string Path { get; }

    public IReadOnlyCollection<string> Keys => _entries.Keys;

    public bool Contains(string key) => _entries.ContainsKey(key);

    public NpyHeader Header(string key)
    {
        using var stream = Open(key);
        return NpyHeader.Read(stream, Where(key));
    }

    public NpyArray Read(string key)
    {
        using var stream = Open(key);
        try
        {
            return NpyFormat.Read(stream, Where(key));
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{Where(key)}: corrupt or truncated entry ({e.Message})");
        }
    }

    /// <summary>A required array: missing ones are reported with the keys the file does hold.</summary>
    public NpyArray Require(string key)
    {
        if (!Contains(key))
            throw new InputException($"{Path}: expected array '{key}', found only {string.Join(", ", Keys.Order())}");
        return Read(key);
    }

    /// <summary>Reads rows [start, start + count) of a 2D float32 array into destination.</summary>
    public void ReadRows(string key, long start, int count, Span<float> destination)
    {
        using var stream = Open(key);
        var header = NpyHeader.Read(stream, Where(key));
        if (header.Type != NpyType.Float32 || header.Shape.Length != 2)
            throw new InputException($"{Where(key)}: expected a 2D float32 array, found {NpyTypes.Descriptor(header.Type, header.UnicodeLength)} with {header.Shape.Length} dimensions");
        long columns = header.Shape[1];
        if (start < 0 || start + count > header.Shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"{Where(key)}: rows [{start}, {start + count}) outside {header.Shape[0]}");
        Skip(stream, start * columns * 4, key);
        NpyHeader.ReadExactly(stream, MemoryMarshal.AsBytes(destination[..(int)(count * columns)]), Where(key), "the data");
    }

    private void Skip(Stream stream, long bytes, string key)
    {
        if (bytes == 0) return;
        if (stream.CanSeek)
        {
            // Stored (uncompressed) entries, as np.savez and Peakformer write them, seek directly to the row.
            stream.Seek(bytes, SeekOrigin.Current);
            return;
        }
        var buffer = new byte[1 << 16];
        while (bytes > 0)
        {
            int n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, bytes));
            if (n == 0) throw new InputException($"{Where(key)}: file ends early: truncated");
            bytes -= n;
        }
    }

    private Stream Open(string key)
    {
        if (!_entries.TryGetValue(key, out var entry))
            throw new InputException($"{Path}: expected array '{key}', found only {string.Join(", ", Keys.Order())}");
        try
        {
            return entry.Open();
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{Where(key)}: corrupt entry ({e.Message})");
        }
    }

    private string Where(string key) => $"{Path} [{key}]";

    public void Dispose() => _zip.Dispose();
}
