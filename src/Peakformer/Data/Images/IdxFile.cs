using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Peakformer.Data.Npy;
using Peakformer.Engine.Files;

namespace Peakformer.Data.Images;

/// <summary>
/// IDX files, the MNIST family's format (yann.lecun.com/exdb/mnist): a big-endian magic of two zero bytes, a type code
/// and a dimension count (0x00000803 for ubyte images [N, rows, columns], 0x00000801 for ubyte labels [N]), then
/// one big-endian uint32 per dimension and the values in C order, big-endian; raw or gzip-compressed (".gz").
/// Arrays are held as <see cref="NpyArray"/>, the project's one typed n-dimensional array.
/// Read: ubyte (0x08), byte (0x09), int32 (0x0C), float32 (0x0D), float64 (0x0E); int16 (0x0B) is refused (no
/// NpyType holds it and no MNIST-family file uses it).
/// </summary>
public static class IdxFile
{
    /// <summary>
    /// Most bytes of data one file may declare (1 GiB; Fashion-MNIST's training images are 47 MB). Declared sizes are
    /// checked against this, and against the file's length, before anything is allocated.
    /// </summary>
    public const long MaxDataBytes = 1L << 30;

    /// <summary>Most dimensions read (MNIST-family files have 1 or 3).</summary>
    public const int MaxRank = 8;

    /// <summary>Most bytes deflate expands one stored byte into (its format's limit, as NpzReader uses), plus a header's slack.</summary>
    private const long MaxDeflateRatio = 1032;

    /// <summary>Reads a whole IDX file (raw or gzip, told apart by content); <paramref name="rank"/> when given is checked.</summary>
    public static NpyArray Read(string path, int? rank = null, string? what = null)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        long fileBytes = new FileInfo(path).Length;
        using var file = File.OpenRead(path);
        bool gzip = fileBytes >= 2 && file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
        file.Position = 0;
        try
        {
            using Stream body = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            var (type, shape) = ReadHeader(body, path, rank, what);
            long headerBytes = 4 + 4L * shape.Length;
            long declared = shape.Aggregate(1L, (a, b) => a * b) * ItemSize(type);
            if (!gzip && fileBytes - headerBytes != declared)
                throw new InputException($"{path}: data: expected {declared} bytes for shape ({string.Join(", ", shape)}) x {ItemSize(type)}, found {fileBytes - headerBytes}" +
                                         (fileBytes - headerBytes < declared ? ": truncated" : ": trailing bytes"));
            if (gzip && declared > fileBytes * MaxDeflateRatio + 1024)
                throw new InputException($"{path}: data: expected at most {fileBytes * MaxDeflateRatio + 1024} bytes from {fileBytes} gzip bytes (deflate's ratio limit), found {declared} declared by shape ({string.Join(", ", shape)})");
            var bytes = ReadBody(body, declared, path, shape);
            return new NpyArray(type, shape, Decode(bytes, type));
        }
        catch (InvalidDataException e)
        {
            throw new InputException($"{path}: corrupt gzip stream ({e.Message})");
        }
    }

    /// <summary>Writes an array as IDX; gzip-compressed when the path ends in ".gz". Written whole, then moved into place.</summary>
    public static void Write(string path, NpyArray array)
    {
        byte code = Code(array.Type);
        if (array.Shape.Length is < 1 or > 255) throw new ArgumentException($"IdxFile: {array.Shape.Length} dimensions; IDX holds 1 to 255.");
        if (array.Shape.Any(d => d > uint.MaxValue)) throw new ArgumentException($"IdxFile: dimension above 2^32 - 1 in ({string.Join(", ", array.Shape)}).");
        AtomicFile.Write(path, stream =>
        {
            using Stream body = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(stream, CompressionLevel.Optimal) : stream;
            body.Write([0, 0, code, (byte)array.Shape.Length]);
            Span<byte> word = stackalloc byte[4];
            foreach (long d in array.Shape)
            {
                BinaryPrimitives.WriteUInt32BigEndian(word, (uint)d);
                body.Write(word);
            }
            body.Write(Encode(array.Values));
        });
    }

    private static (NpyType Type, long[] Shape) ReadHeader(Stream body, string path, int? rank, string? what)
    {
        var magic = new byte[4];
        if (ReadFully(body, magic) < 4) throw new InputException($"{path}: magic: expected 4 bytes, found a shorter file: truncated");
        uint word = BinaryPrimitives.ReadUInt32BigEndian(magic);
        if (magic[0] != 0 || magic[1] != 0)
            throw new InputException($"{path}: magic: expected 0x000008nn (IDX: two zero bytes, a type code, a dimension count), found 0x{word:x8}: not an IDX file");
        var type = magic[2] switch
        {
            0x08 => NpyType.UInt8,
            0x09 => NpyType.Int8,
            0x0C => NpyType.Int32,
            0x0D => NpyType.Float32,
            0x0E => NpyType.Float64,
            0x0B => throw new InputException($"{path}: type code: expected 0x08 (ubyte), 0x09, 0x0C, 0x0D or 0x0E, found 0x0B (int16, not supported)"),
            _ => throw new InputException($"{path}: type code: expected 0x08 (ubyte), 0x09, 0x0C, 0x0D or 0x0E, found 0x{magic[2]:x2} (magic 0x{word:x8})"),
        };
        int dims = magic[3];
        if (rank is int r && dims != r)
            throw new InputException($"{path}: dimension count: expected {r}{(what is null ? "" : $" ({what})")}, found {dims} (magic 0x{word:x8})");
        if (dims is < 1 or > MaxRank)
            throw new InputException($"{path}: dimension count: expected 1 to {MaxRank}, found {dims} (magic 0x{word:x8})");
        var shape = new long[dims];
        var raw = new byte[4 * dims];
        if (ReadFully(body, raw) < raw.Length) throw new InputException($"{path}: dimensions: expected {dims} big-endian uint32, found a shorter file: truncated");
        long bytes = ItemSize(type);
        for (int i = 0; i < dims; i++)
        {
            shape[i] = BinaryPrimitives.ReadUInt32BigEndian(raw.AsSpan(4 * i));
            // Each factor is below 2^32 and the running product below 2^30 here, so the product never overflows.
            bytes *= shape[i];
            if (bytes > MaxDataBytes)
                throw new InputException($"{path}: shape ({string.Join(", ", shape[..(i + 1)])}{(i + 1 < dims ? ", ..." : "")}): expected at most {MaxDataBytes} bytes of data, found {bytes}");
        }
        return (type, shape);
    }

    /// <summary>
    /// The declared bytes, grown as they arrive (so a short gzip body that declares a large shape costs only what it
    /// holds), then one more byte is asked for: data past the declared size is an error, not silently ignored.
    /// </summary>
    private static byte[] ReadBody(Stream body, long declared, string path, long[] shape)
    {
        var buffer = new byte[Math.Min(declared, 1 << 20)];
        long filled = 0;
        while (filled < declared)
        {
            if (filled == buffer.Length) Array.Resize(ref buffer, (int)Math.Min(declared, 2L * buffer.Length));
            int n = body.Read(buffer, (int)filled, buffer.Length - (int)filled);
            if (n == 0)
                throw new InputException($"{path}: data: expected {declared} bytes for shape ({string.Join(", ", shape)}), found {filled}: truncated");
            filled += n;
        }
        if (body.Read(new byte[1]) > 0)
            throw new InputException($"{path}: data: expected {declared} bytes for shape ({string.Join(", ", shape)}), found more: trailing bytes");
        return buffer;
    }

    private static Array Decode(byte[] bytes, NpyType type)
    {
        switch (type)
        {
            case NpyType.UInt8: return bytes;
            case NpyType.Int8: return MemoryMarshal.Cast<byte, sbyte>(bytes).ToArray();
            case NpyType.Int32:
            {
                var v = MemoryMarshal.Cast<byte, int>(bytes).ToArray();
                if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(v, v);
                return v;
            }
            case NpyType.Float32:
            {
                var v = MemoryMarshal.Cast<byte, float>(bytes).ToArray();
                var bits = MemoryMarshal.Cast<float, int>(v.AsSpan());
                if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(bits, bits);
                return v;
            }
            default:
            {
                var v = MemoryMarshal.Cast<byte, double>(bytes).ToArray();
                var bits = MemoryMarshal.Cast<double, long>(v.AsSpan());
                if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(bits, bits);
                return v;
            }
        }
    }

    private static byte[] Encode(Array values)
    {
        switch (values)
        {
            case byte[] b: return b;
            case sbyte[] s: return MemoryMarshal.AsBytes(s.AsSpan()).ToArray();
            case int[] i:
            {
                var big = (int[])i.Clone();
                if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(big, big);
                return MemoryMarshal.AsBytes(big.AsSpan()).ToArray();
            }
            case float[] f:
            {
                var bits = MemoryMarshal.Cast<float, int>(f.AsSpan()).ToArray();
                if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(bits, bits);
                return MemoryMarshal.AsBytes(bits.AsSpan()).ToArray();
            }
            case double[] d:
            {
                var bits = MemoryMarshal.Cast<double, long>(d.AsSpan()).ToArray();
                if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(bits, bits);
                return MemoryMarshal.AsBytes(bits.AsSpan()).ToArray();
            }
            default: throw new ArgumentException($"IdxFile: cannot write values of type {values.GetType().Name}.");
        }
    }

    private static byte Code(NpyType type) => type switch
    {
        NpyType.UInt8 => 0x08,
        NpyType.Int8 => 0x09,
        NpyType.Int32 => 0x0C,
        NpyType.Float32 => 0x0D,
        NpyType.Float64 => 0x0E,
        _ => throw new ArgumentException($"IdxFile: IDX has no type code for {type}."),
    };

    private static int ItemSize(NpyType type) => NpyTypes.ItemSize(type);

    private static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
