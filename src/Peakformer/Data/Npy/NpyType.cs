namespace Peakformer.Data.Npy;

/// <summary>The element types Peakformer reads and writes in .npy files (little-endian, C order).</summary>
public enum NpyType
{
    Float32,
    Float64,
    Int8,
    Int32,
    Int64,
    UInt8,
    Bool,
    /// <summary>NumPy's fixed-width unicode string ("&lt;U{n}", UTF-32).</summary>
    Unicode,
    /// <summary>Signed and unsigned 16-bit integers: digitiser ADC counts.</summary>
    Int16,
    UInt16,
}

/// <summary>Mapping between <see cref="NpyType"/> and NumPy's dtype descriptors.</summary>
public static class NpyTypes
{
    public static string Descriptor(NpyType type, int unicodeLength = 0) => type switch
    {
        NpyType.Float32 => "<f4",
        NpyType.Float64 => "<f8",
        NpyType.Int8 => "|i1",
        NpyType.Int32 => "<i4",
        NpyType.Int64 => "<i8",
        NpyType.UInt8 => "|u1",
        NpyType.Bool => "|b1",
        NpyType.Unicode => $"<U{unicodeLength}",
        NpyType.Int16 => "<i2",
        NpyType.UInt16 => "<u2",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static int ItemSize(NpyType type, int unicodeLength = 0) => type switch
    {
        NpyType.Float32 or NpyType.Int32 => 4,
        NpyType.Float64 or NpyType.Int64 => 8,
        NpyType.Int8 or NpyType.UInt8 or NpyType.Bool => 1,
        NpyType.Int16 or NpyType.UInt16 => 2,
        NpyType.Unicode => 4 * unicodeLength,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a descriptor; anything unsupported is explained (big-endian, object, structured...).</summary>
    public static (NpyType Type, int UnicodeLength) Parse(string descriptor, string where)
    {
        string d = descriptor.Trim();
        if (d.StartsWith('[') || d.StartsWith('(')) throw new InputException($"{where}: structured dtype {d} is not supported (plain arrays only)");
        if (d.Length < 2) throw new InputException($"{where}: unknown dtype '{d}'");
        char order = d[0];
        string kind = d[1..];
        if (order == '>' && kind is not ("i1" or "u1" or "b1"))
            throw new InputException($"{where}: big-endian dtype {d} is not supported (expected little-endian '<')");
        if (order is not ('<' or '|' or '=' or '>'))
            throw new InputException($"{where}: unknown byte order in dtype '{d}'");
        if (kind == "O") throw new InputException($"{where}: object arrays (dtype {d}) are not supported: they need pickle, which Peakformer never loads");
        if (kind.StartsWith('U') && int.TryParse(kind[1..], out int n) && n >= 0) return (NpyType.Unicode, n);
        return kind switch
        {
            "f4" => (NpyType.Float32, 0),
            "f8" => (NpyType.Float64, 0),
            "i1" => (NpyType.Int8, 0),
            "i2" => (NpyType.Int16, 0),
            "u2" => (NpyType.UInt16, 0),
            "i4" => (NpyType.Int32, 0),
            "i8" => (NpyType.Int64, 0),
            "u1" => (NpyType.UInt8, 0),
            "b1" => (NpyType.Bool, 0),
            _ => throw new InputException($"{where}: dtype {d} is not supported (expected one of <f4, <f8, |i1, <i2, <u2, <i4, <i8, |u1, |b1, <U)"),
        };
    }
}
