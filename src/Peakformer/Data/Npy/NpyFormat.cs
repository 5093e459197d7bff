using System.Runtime.InteropServices;
using System.Text;

namespace Peakformer.Data.Npy;

/// <summary>Reads and writes whole .npy arrays (header and C-order little-endian data).</summary>
public static class NpyFormat
{
    public static void Write(Stream stream, NpyArray array)
    {
        stream.Write(new NpyHeader(array.Type, array.UnicodeLength, array.Shape).Encode());
        WriteValues(stream, array.Values, array.Type, array.UnicodeLength);
    }

    public static NpyArray Read(Stream stream, string where)
    {
        var header = NpyHeader.Read(stream, where);
        return new NpyArray(header.Type, header.Shape, ReadValues(stream, header, header.Count, where), header.UnicodeLength);
    }

    /// <summary>Writes values in the file's byte layout (this code assumes a little-endian machine, as .NET on x64/arm64 is).</summary>
    public static void WriteValues(Stream stream, Array values, NpyType type, int unicodeLength = 0)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NPY writing needs a little-endian machine.");
        switch (values)
        {
            case float[] f: stream.Write(MemoryMarshal.AsBytes(f.AsSpan())); break;
            case double[] d: stream.Write(MemoryMarshal.AsBytes(d.AsSpan())); break;
            case sbyte[] s: stream.Write(MemoryMarshal.AsBytes(s.AsSpan())); break;
            case short[] h: stream.Write(MemoryMarshal.AsBytes(h.AsSpan())); break;
            case ushort[] u: stream.Write(MemoryMarshal.AsBytes(u.AsSpan())); break;
            case int[] i: stream.Write(MemoryMarshal.AsBytes(i.AsSpan())); break;
            case long[] l: stream.Write(MemoryMarshal.AsBytes(l.AsSpan())); break;
            case byte[] b: stream.Write(b); break;
            case bool[] b: foreach (bool v in b) stream.WriteByte(v ? (byte)1 : (byte)0); break;
            case string[] strings:
                var item = new byte[4 * unicodeLength];
                foreach (string s in strings)
                {
                    Array.Clear(item);
                    int k = 0;
                    foreach (var rune in s.EnumerateRunes()) BitConverter.TryWriteBytes(item.AsSpan(4 * k++, 4), rune.Value);
                    stream.Write(item);
                }
                break;
            default: throw new ArgumentException($"NPY: cannot write values of type {values.GetType().Name} as {type}.");
        }
    }

    /// <summary>Reads count elements of the header's type.</summary>
    public static Array ReadValues(Stream stream, NpyHeader header, long count, string where)
    {
        if (count > int.MaxValue) throw new InputException($"{where}: array of {count} elements is too large to load at once (read it in rows)");
        int n = (int)count;
        Array values = header.Type switch
        {
            NpyType.Float32 => new float[n],
            NpyType.Float64 => new double[n],
            NpyType.Int8 => new sbyte[n],
            NpyType.Int16 => new short[n],
            NpyType.UInt16 => new ushort[n],
            NpyType.Int32 => new int[n],
            NpyType.Int64 => new long[n],
            NpyType.UInt8 => new byte[n],
            NpyType.Bool => new bool[n],
            NpyType.Unicode => new string[n],
            _ => throw new InputException($"{where}: unsupported type {header.Type}"),
        };
        switch (values)
        {
            case float[] f: NpyHeader.ReadExactly(stream, MemoryMarshal.AsBytes(f.AsSpan()), where, "the data"); break;
            case double[] d: NpyHeader.ReadExactly(stream, MemoryMarshal.AsBytes(d.AsSpan()), where, "the data"); break;
            case sbyte[] s: NpyHeader.ReadExactly(stream, MemoryMarshal.AsBytes(s.AsSpan()), where, "the data"); break;
            case short[] h: NpyHeader.ReadExactly(stream, MemoryMarshal.AsBytes(h.AsSpan()), where, "the data"); break;
            case ushort[] u: NpyHeader.ReadExactly(stream, MemoryMarshal.AsBytes(u.AsSpan()), where, "the data"); break;
            case int[] i: NpyHeader.ReadExactly(stream, MemoryMarshal.AsBytes(i.AsSpan()), where, "the data"); break;
            case long[] l: NpyHeader.ReadExactly(stream, MemoryMarshal.AsBytes(l.AsSpan()), where, "the data"); break;
            case byte[] b: NpyHeader.ReadExactly(stream, b, where, "the data"); break;
            case bool[] b:
                var raw = new byte[n];
                NpyHeader.ReadExactly(stream, raw, where, "the data");
                for (int i = 0; i < n; i++) b[i] = raw[i] != 0;
                break;
            case string[] strings:
                var item = new byte[header.ItemSize];
                var sb = new StringBuilder();
                for (int i = 0; i < n; i++)
                {
                    NpyHeader.ReadExactly(stream, item, where, "the data");
                    sb.Clear();
                    for (int k = 0; k < header.UnicodeLength; k++)
                    {
                        int code = BitConverter.ToInt32(item, 4 * k);
                        if (code == 0) break;
                        if (!Rune.IsValid(code))
                            throw new InputException($"{where}: element {i}: expected UTF-32 characters, found code point 0x{code:x}");
                        sb.Append(char.ConvertFromUtf32(code));
                    }
                    strings[i] = sb.ToString();
                }
                break;
        }
        return values;
    }
}
