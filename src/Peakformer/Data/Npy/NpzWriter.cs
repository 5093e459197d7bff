using System.IO.Compression;
using System.Runtime.InteropServices;
using Peakformer.Engine.Files;

namespace Peakformer.Data.Npy;

/// <summary>
/// Writes a NumPy .npz (a zip of "name.npy" entries, stored uncompressed as np.savez does). Everything goes to a
/// temporary file beside the target, renamed over it by <see cref="Commit"/>; disposing without committing
/// deletes it, so a failed run never leaves a partial archive. Large arrays can be streamed in chunks.
/// </summary>
public sealed class NpzWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly string _before;
    private readonly FileStream _file;
    private readonly ZipArchive _zip;
    private readonly HashSet<string> _names = [];
    private RowStream? _open;
    private bool _committed;

    public NpzWriter(string path)
    {
        _path = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(_path)!;
        if (!Directory.Exists(folder)) throw new InputException($"{path}: folder {folder} does not exist");
        _before = OutputLedger.Snapshot(_path);
        try
        {
            _file = Scratch.CreateFile(_path, 1 << 20);
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot write in folder {folder} (permission denied)");
        }
        _temporary = _file.Name;
        _zip = new ZipArchive(_file, ZipArchiveMode.Create, leaveOpen: true);
    }

    /// <summary>Adds a whole array as "name.npy".</summary>
    public void Add(string name, NpyArray array)
    {
        var stream = Entry(name);
        using (stream)
            NpyFormat.Write(stream, array);
    }

    /// <summary>Starts an array written piece by piece; it must receive exactly the elements its shape holds.</summary>
    public RowStream Begin(string name, NpyType type, params long[] shape)
    {
        var stream = Entry(name);
        var header = new NpyHeader(type, 0, shape);
        stream.Write(header.Encode());
        return _open = new RowStream(this, name, stream, header.Count, type);
    }

    private Stream Entry(string name)
    {
        if (_committed) throw new InvalidOperationException("NpzWriter: already committed.");
        if (_open is not null) throw new InvalidOperationException($"NpzWriter: array '{_open.Name}' is still being written.");
        if (!_names.Add(name)) throw new ArgumentException($"NpzWriter: duplicate array name '{name}'.");
        var entry = _zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression);
        // A fixed time stamp: the same data gives a byte-identical archive.
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return entry.Open();
    }

    /// <summary>Finishes the archive and moves it into place.</summary>
    public void Commit()
    {
        if (_open is not null) throw new InvalidOperationException($"NpzWriter: array '{_open.Name}' was not completed.");
        _zip.Dispose();
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        OutputLedger.CheckUnchanged(_path, _before);
        File.Move(_temporary, _path, overwrite: true);
        Scratch.Release(_temporary);
        _committed = true;
        OutputLedger.Record(_path);
    }

    public void Dispose()
    {
        if (_committed) return;
        _open?.Abandon();
        try { _zip.Dispose(); } catch (IOException) { } catch (InvalidOperationException) { }
        try { _file.Dispose(); } catch (IOException) { } // a full disk fails the flush; the temporary goes all the same
        Scratch.Discard(_temporary);
    }

    /// <summary>Appends values to an array started with <see cref="Begin"/>.</summary>
    public sealed class RowStream
    {
        private readonly NpzWriter _owner;
        private readonly Stream _stream;
        private readonly long _expected;
        private readonly NpyType _type;
        private long _written;

        internal RowStream(NpzWriter owner, string name, Stream stream, long expected, NpyType type)
        {
            (_owner, Name, _stream, _expected, _type) = (owner, name, stream, expected, type);
        }

        public string Name { get; }

        public void Append<T>(ReadOnlySpan<T> values) where T : unmanaged
        {
            if (NpyArray.ElementType(_type) != typeof(T))
                throw new ArgumentException($"NpzWriter: array '{Name}' holds {_type}, not {typeof(T).Name}.");
            if (_written + values.Length > _expected)
                throw new InvalidOperationException($"NpzWriter: array '{Name}' would exceed its {_expected} elements.");
            _stream.Write(MemoryMarshal.AsBytes(values));
            _written += values.Length;
        }

        /// <summary>Appends raw little-endian element bytes (whole elements).</summary>
        public void AppendBytes(ReadOnlySpan<byte> bytes)
        {
            int item = NpyTypes.ItemSize(_type);
            if (bytes.Length % item != 0) throw new ArgumentException($"NpzWriter: {bytes.Length} bytes is not a whole number of {_type} elements.");
            long count = bytes.Length / item;
            if (_written + count > _expected)
                throw new InvalidOperationException($"NpzWriter: array '{Name}' would exceed its {_expected} elements.");
            _stream.Write(bytes);
            _written += count;
        }

        public void Complete()
        {
            if (_written != _expected)
                throw new InvalidOperationException($"NpzWriter: array '{Name}' received {_written} of {_expected} elements.");
            _stream.Dispose();
            _owner._open = null;
        }

        internal void Abandon()
        {
            try { _stream.Dispose(); } catch (IOException) { } catch (InvalidOperationException) { }
        }
    }
}
