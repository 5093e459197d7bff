using System.IO.Compression;
using Peakformer.Engine.Files;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Peakformer.Data.Npy;

/// <summary>
/// Reads a NumPy .npz archive (np.savez / np.savez_compressed). Arrays load whole, or row by row for large 2D
/// arrays. A file that is not a zip, is truncated, or lacks an expected array is reported by name.
/// An entry's .npy header must declare exactly the entry's uncompressed size, checked before any data is read;
/// inflation stops at that size; and the bytes must match the zip's CRC-32 (NumPy's zipfile checks it too):
/// whole reads check it as they go, the seeking row reader after one streaming pass on first use.
/// </summary>
public sealed class NpzReader : IDisposable
{
    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _entries = [];
    private readonly Dictionary<string, NpyHeader> _headers = [];
    private readonly HashSet<string> _verified = [];
    // The row reader's open entry stream and its byte position (one entry at a time; not thread-safe, as the zip is not).
    private Stream? _cursor;
    private string? _cursorKey;
    private long _cursorAt;

    public NpzReader(string path)
    {
        Path = path;
        if (NativeFiles.WhyNotInput(path) is { } why) throw new InputException($"{path}: {why}");
        long fileBytes = new FileInfo(path).Length;
        try
        {
            _zip = ZipFile.OpenRead(path);
            foreach (var entry in _zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                // Sizes the zip declares bound every allocation made from a header, so they are held to the file:
                // no entry is larger than the file, nor inflates beyond deflate's largest ratio (1032:1).
                if (entry.CompressedLength > fileBytes || entry.Length > entry.CompressedLength * MaxDeflateRatio + 1024)
                    throw new InputException($"{path} [{entry.FullName[..^4]}]: entry size: expected at most {Math.Min(fileBytes, entry.CompressedLength) * MaxDeflateRatio + 1024} bytes for {entry.CompressedLength} stored bytes in a file of {fileBytes}, found {entry.Length} bytes declared by the zip");
                _entries[entry.FullName[..^4]] = entry;
            }
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{path}: not a .npz archive, or truncated (no readable zip directory: {e.Message})");
        }
    }

    private const long MaxDeflateRatio = 1032;

    public string Path { get; }

    public IReadOnlyCollection<string> Keys => _entries.Keys;

    public bool Contains(string key) => _entries.ContainsKey(key);

    /// <summary>The entry's .npy header, checked against the entry's declared size (only the header is read).</summary>
    public NpyHeader Header(string key)
    {
        if (_headers.TryGetValue(key, out var known)) return known;
        var entry = Entry(key);
        string where = Where(key);
        var header = Guarded(key, () =>
        {
            using var stream = new CheckedStream(Open(key), entry.Length, where);
            return NpyHeader.Read(stream, where);
        });
        long expected = header.HeaderBytes + header.DataBytes;
        if (expected != entry.Length)
            throw new InputException($"{where}: entry size: expected {expected} bytes (header {header.HeaderBytes} + shape ({string.Join(", ", header.Shape)}) x {header.ItemSize} bytes), found {entry.Length} bytes declared by the zip");
        _headers[key] = header;
        return header;
    }

    /// <summary>A whole array, read in one pass that also checks the entry's size and CRC-32.</summary>
    public NpyArray Read(string key)
    {
        var header = Header(key);
        var entry = Entry(key);
        return Guarded(key, () =>
        {
            using var stream = new CheckedStream(Open(key), entry.Length, Where(key));
            NpyHeader.Read(stream, Where(key));
            var array = new NpyArray(header.Type, header.Shape, NpyFormat.ReadValues(stream, header, header.Count, Where(key)), header.UnicodeLength);
            stream.Verify(entry.Crc32);
            _verified.Add(key);
            return array;
        });
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
        var header = Header(key);
        if (header.Type != NpyType.Float32 || header.Shape.Length != 2)
            throw new InputException($"{Where(key)}: expected a 2D float32 array, found {NpyTypes.Descriptor(header.Type, header.UnicodeLength)} with {header.Shape.Length} dimensions");
        ReadRowBytes(key, start, count, MemoryMarshal.AsBytes(destination[..(int)(count * header.Shape[1])]));
    }

    /// <summary>The raw little-endian bytes of rows [start, start + count) of a 2D array of any fixed-size type (of a 1D array: its items).</summary>
    public void ReadRowBytes(string key, long start, int count, Span<byte> destination)
    {
        var header = Header(key);
        if (header.Shape.Length is not (1 or 2))
            throw new InputException($"{Where(key)}: expected a 1D or 2D array, found {header.Shape.Length} dimensions");
        long rowBytes = (header.Shape.Length == 2 ? header.Shape[1] : 1) * header.ItemSize;
        if (start < 0 || start + count > header.Shape[0])
            throw new ArgumentOutOfRangeException(nameof(start), $"{Where(key)}: rows [{start}, {start + count}) outside {header.Shape[0]}");
        Verify(key);
        long offset = header.HeaderBytes + start * rowBytes;
        int bytes = (int)(count * rowBytes);
        try
        {
            var stream = CursorAt(key, offset);
            NpyHeader.ReadExactly(stream, destination[..bytes], Where(key), "the data");
            _cursorAt = offset + bytes;
        }
        catch (Exception e)
        {
            DropCursor();
            if (e is InvalidDataException) throw new InputException($"{Where(key)}: corrupt or truncated entry ({e.Message})");
            throw;
        }
    }

    /// <summary>
    /// The entry's stream positioned at <paramref name="offset"/>: the stream of the previous row read when that ended
    /// at or before it, else a new one. Zip entry streams do not seek (not even stored ones), so reopening for every
    /// read made a pass over a large entry in chunks quadratic: chunk j skipped j chunks' bytes.
    /// </summary>
    private Stream CursorAt(string key, long offset)
    {
        if (_cursor is null || _cursorKey != key || _cursorAt > offset)
        {
            DropCursor();
            _cursor = Open(key);
            _cursorKey = key;
            _cursorAt = 0;
        }
        Skip(_cursor, offset - _cursorAt, key);
        _cursorAt = offset;
        return _cursor;
    }

    private void DropCursor()
    {
        _cursor?.Dispose();
        _cursor = null;
        _cursorKey = null;
    }

    /// <summary>
    /// One streaming pass over the entry (bounded by its declared size, 64 KiB of memory) that checks its length
    /// and CRC-32, once per entry: the row reader seeks, so it cannot check the CRC as it goes.
    /// </summary>
    private void Verify(string key)
    {
        if (_verified.Contains(key)) return;
        var entry = Entry(key);
        Guarded(key, () =>
        {
            using var stream = new CheckedStream(Open(key), entry.Length, Where(key));
            stream.Verify(entry.Crc32);
            return true;
        });
        _verified.Add(key);
    }

    private ZipArchiveEntry Entry(string key) => _entries.TryGetValue(key, out var e) ? e
        : throw new InputException($"{Path}: expected array '{key}', found only {string.Join(", ", Keys.Order())}");

    private T Guarded<T>(string key, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{Where(key)}: corrupt or truncated entry ({e.Message})");
        }
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
            BytesSkipped += n;
        }
    }

    private Stream Open(string key)
    {
        var entry = _entries[key];
        try
        {
            return entry.Open();
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{Where(key)}: corrupt entry ({e.Message})");
        }
    }

    /// <summary>Bytes the row reader read only to pass over them (entry streams do not seek): a pass in order skips only the header.</summary>
    internal long BytesSkipped { get; private set; }

    private string Where(string key) => $"{Path} [{key}]";

    public void Dispose()
    {
        DropCursor();
        _zip.Dispose();
    }

    /// <summary>Reads at most the declared length (a longer stream, as from a lying deflate bomb, is an error) and forms the CRC-32 of what passes.</summary>
    private sealed class CheckedStream(Stream inner, long length, string where) : Stream
    {
        private readonly Crc32 _crc = new();
        private long _read;

        public uint Crc => _crc.GetCurrentHashAsUInt32();

        public override int Read(Span<byte> buffer)
        {
            // Ask for one byte more than remains, so that a stream longer than declared is noticed at once.
            long room = length - _read + 1;
            if (buffer.Length > room) buffer = buffer[..(int)room];
            int n = inner.Read(buffer);
            _read += n;
            if (_read > length)
                throw new InputException($"{where}: entry size: expected {length} bytes (zip directory), found more: the data is longer than declared");
            _crc.Append(buffer[..n]);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        /// <summary>Reads to the end, checking that exactly the declared length was there and that its CRC-32 is the expected one.</summary>
        public void Verify(uint crc)
        {
            var buffer = new byte[1 << 16];
            while (Read(buffer) > 0) { }
            if (_read != length)
                throw new InputException($"{where}: entry size: expected {length} bytes (zip directory), found {_read}: truncated");
            if (Crc != crc)
                throw new InputException($"{where}: CRC-32: expected {crc:x8} (zip directory), found {Crc:x8}: the entry is corrupt (NumPy: Bad CRC-32)");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length;
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
