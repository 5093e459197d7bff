using System.Globalization;
using System.Text;

namespace Peakformer.Data.Npy;

/// <summary>
/// The .npy header (numpy.lib.format): magic "\x93NUMPY", version, header length, then a Python dict literal
/// {'descr': '&lt;f4', 'fortran_order': False, 'shape': (3, 4), } padded with spaces and a newline so the data
/// starts on a 64-byte boundary.
/// </summary>
public sealed record NpyHeader(NpyType Type, int UnicodeLength, long[] Shape)
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>
    /// Longest header dict read: NumPy's np.load refuses headers over 10000 bytes by default (max_header_size),
    /// and a real header is about a hundred. A declared length above this is refused before anything is allocated.
    /// </summary>
    public const int MaxHeaderBytes = 10000;

    /// <summary>Most bytes of data a header may declare (2^50, a petabyte): products of dimensions stay far from overflow.</summary>
    public const long MaxDataBytes = 1L << 50;

    /// <summary>Longest unicode item ("&lt;U{n}") read, in characters.</summary>
    public const int MaxUnicodeLength = 1 << 16;

    public long Count => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Bytes from the start of the .npy to the first data byte (magic, version, length and dict); 0 when not read from a file.</summary>
    public long HeaderBytes { get; init; }

    public int ItemSize => NpyTypes.ItemSize(Type, UnicodeLength);

    public long DataBytes => Count * ItemSize;

    public byte[] Encode()
    {
        string shape = Shape.Length switch
        {
            0 => "()",
            1 => $"({Shape[0]},)",
            _ => "(" + string.Join(", ", Shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + ")",
        };
        string dict = $"{{'descr': '{NpyTypes.Descriptor(Type, UnicodeLength)}', 'fortran_order': False, 'shape': {shape}, }}";
        // Version 1.0 holds headers up to 65535 bytes; longer ones (huge ranks) need 2.0.
        bool v2 = dict.Length + 1 + 10 > 65535;
        int prefix = v2 ? 12 : 10;
        int total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var header = new byte[total];
        Magic.CopyTo(header, 0);
        header[6] = (byte)(v2 ? 2 : 1);
        header[7] = 0;
        int length = total - prefix;
        if (v2) BitConverter.TryWriteBytes(header.AsSpan(8, 4), (uint)length);
        else BitConverter.TryWriteBytes(header.AsSpan(8, 2), (ushort)length);
        Encoding.ASCII.GetBytes(dict).CopyTo(header, prefix);
        for (int i = prefix + dict.Length; i < total - 1; i++) header[i] = (byte)' ';
        header[total - 1] = (byte)'\n';
        return header;
    }

    /// <summary>Reads and validates a header; <paramref name="where"/> names the file and entry in errors.</summary>
    public static NpyHeader Read(Stream stream, string where)
    {
        var prefix = new byte[8];
        ReadExactly(stream, prefix, where, "the magic string");
        if (!prefix.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InputException($"{where}: not a .npy array (bad magic bytes at offset 0)");
        int major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            var len = new byte[2];
            ReadExactly(stream, len, where, "the header length");
            headerLength = BitConverter.ToUInt16(len);
        }
        else if (major is 2 or 3)
        {
            var len = new byte[4];
            ReadExactly(stream, len, where, "the header length");
            uint declared = BitConverter.ToUInt32(len);
            if (declared > MaxHeaderBytes)
                throw new InputException($"{where}: header length: expected at most {MaxHeaderBytes} bytes (NumPy's default max_header_size), found {declared}");
            headerLength = (int)declared;
        }
        else throw new InputException($"{where}: .npy format version {major}.{prefix[7]} is not supported (expected 1.0, 2.0 or 3.0)");
        if (headerLength > MaxHeaderBytes)
            throw new InputException($"{where}: header length: expected at most {MaxHeaderBytes} bytes (NumPy's default max_header_size), found {headerLength}");
        var text = new byte[headerLength];
        ReadExactly(stream, text, where, "the header");
        string dict;
        try
        {
            dict = (major == 3 ? new UTF8Encoding(false, throwOnInvalidBytes: true) : Encoding.Latin1).GetString(text).Trim();
        }
        catch (DecoderFallbackException)
        {
            throw new InputException($"{where}: header: expected UTF-8 text (format 3.0), found invalid bytes");
        }
        return Parse(dict, where) with { HeaderBytes = (major == 1 ? 10 : 12) + headerLength };
    }

    private static NpyHeader Parse(string dict, string where)
    {
        string descr = Field(dict, "descr", where);
        string fortran = Field(dict, "fortran_order", where);
        string shape = Field(dict, "shape", where);
        if (fortran != "False")
            throw new InputException($"{where}: Fortran-order arrays are not supported (expected fortran_order False, found {fortran}); save with np.ascontiguousarray");
        var (type, unicode) = NpyTypes.Parse(descr.Trim('\'', '"'), where);
        var dims = shape.Trim('(', ')').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => long.TryParse(d.TrimEnd('L'), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= 0 ? v
                : throw new InputException($"{where}: header shape {shape} is not a tuple of non-negative integers"))
            .ToArray();
        if (type == NpyType.Unicode && unicode > MaxUnicodeLength)
            throw new InputException($"{where}: dtype {descr}: expected at most {MaxUnicodeLength} characters per item, found {unicode}");
        // The product is formed in floating point so that no shape, however large, overflows while it is checked.
        double bytes = dims.Aggregate((double)NpyTypes.ItemSize(type, unicode), (a, d) => a * d);
        if (bytes > MaxDataBytes)
            throw new InputException($"{where}: shape {shape}: expected at most {MaxDataBytes} bytes of data, found {bytes:G4} bytes declared");
        return new NpyHeader(type, unicode, dims);
    }

    // The value of 'key' in a Python dict literal: a quoted string, a word, or a parenthesised tuple.
    private static string Field(string dict, string key, string where)
    {
        int at = dict.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (at < 0) at = dict.IndexOf($"\"{key}\"", StringComparison.Ordinal);
        if (at < 0) throw new InputException($"{where}: .npy header has no '{key}' field: {dict}");
        int colon = dict.IndexOf(':', at);
        if (colon < 0) throw new InputException($"{where}: .npy header field '{key}' has no value: {dict}");
        int i = colon + 1;
        while (i < dict.Length && dict[i] == ' ') i++;
        if (i >= dict.Length) throw new InputException($"{where}: .npy header field '{key}' has no value: {dict}");
        char open = dict[i];
        if (open is '\'' or '"')
        {
            int end = dict.IndexOf(open, i + 1);
            if (end < 0) throw new InputException($"{where}: unterminated string in .npy header: {dict}");
            return dict.Substring(i, end - i + 1);
        }
        if (open is '(' or '[')
        {
            int end = dict.IndexOf(open == '(' ? ')' : ']', i);
            if (end < 0) throw new InputException($"{where}: unterminated tuple in .npy header: {dict}");
            return dict.Substring(i, end - i + 1);
        }
        int stop = dict.IndexOfAny([',', '}'], i);
        return dict[i..(stop < 0 ? dict.Length : stop)].Trim();
    }

    internal static void ReadExactly(Stream stream, Span<byte> buffer, string where, string what)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer[read..]);
            if (n == 0) throw new InputException($"{where}: file ends inside {what} (read {read} of {buffer.Length} bytes): truncated");
            read += n;
        }
    }
}
