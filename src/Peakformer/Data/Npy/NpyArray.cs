namespace Peakformer.Data.Npy;

/// <summary>
/// An n-dimensional array as stored in a .npy file: element type, shape and the values in C order.
/// Values are held in a typed .NET array (float[], double[], sbyte[], short[], ushort[], int[], long[], byte[], bool[] or string[]).
/// </summary>
public sealed class NpyArray
{
    public NpyArray(NpyType type, long[] shape, Array values, int unicodeLength = 0)
    {
        long count = 1;
        foreach (long d in shape)
        {
            if (d < 0) throw new ArgumentException($"NpyArray: negative dimension in shape ({string.Join(", ", shape)}).");
            count *= d;
        }
        if (values.Length != count)
            throw new ArgumentException($"NpyArray: {values.Length} values for shape ({string.Join(", ", shape)}) = {count} elements.");
        var expected = ElementType(type);
        if (values.GetType().GetElementType() != expected)
            throw new ArgumentException($"NpyArray: {type} needs a {expected.Name}[] of values, got {values.GetType().Name}.");
        if (type == NpyType.Unicode)
        {
            foreach (string s in (string[])values)
                unicodeLength = Math.Max(unicodeLength, s.EnumerateRunes().Count());
            unicodeLength = Math.Max(1, unicodeLength);
        }
        Type = type;
        Shape = shape;
        Values = values;
        UnicodeLength = unicodeLength;
    }

    public NpyType Type { get; }
    public long[] Shape { get; }
    public Array Values { get; }
    /// <summary>Characters per element of a unicode array.</summary>
    public int UnicodeLength { get; }

    public long Count => Values.Length;

    public string Descriptor => NpyTypes.Descriptor(Type, UnicodeLength);

    public static NpyArray Of(float[] v, params long[] shape) => new(NpyType.Float32, Default(shape, v.Length), v);
    public static NpyArray Of(double[] v, params long[] shape) => new(NpyType.Float64, Default(shape, v.Length), v);
    public static NpyArray Of(sbyte[] v, params long[] shape) => new(NpyType.Int8, Default(shape, v.Length), v);
    public static NpyArray Of(short[] v, params long[] shape) => new(NpyType.Int16, Default(shape, v.Length), v);
    public static NpyArray Of(ushort[] v, params long[] shape) => new(NpyType.UInt16, Default(shape, v.Length), v);
    public static NpyArray Of(int[] v, params long[] shape) => new(NpyType.Int32, Default(shape, v.Length), v);
    public static NpyArray Of(long[] v, params long[] shape) => new(NpyType.Int64, Default(shape, v.Length), v);
    public static NpyArray Of(byte[] v, params long[] shape) => new(NpyType.UInt8, Default(shape, v.Length), v);
    public static NpyArray Of(bool[] v, params long[] shape) => new(NpyType.Bool, Default(shape, v.Length), v);
    public static NpyArray Of(string[] v, params long[] shape) => new(NpyType.Unicode, Default(shape, v.Length), v);

    /// <summary>A 0-d array holding one value (np.float64(x), a text string...).</summary>
    public static NpyArray Scalar(double value) => new(NpyType.Float64, [], new[] { value });
    public static NpyArray Scalar(string value) => new(NpyType.Unicode, [], new[] { value });

    private static long[] Default(long[] shape, int length) => shape.Length == 0 ? [length] : shape;

    public static System.Type ElementType(NpyType type) => type switch
    {
        NpyType.Float32 => typeof(float),
        NpyType.Float64 => typeof(double),
        NpyType.Int8 => typeof(sbyte),
        NpyType.Int16 => typeof(short),
        NpyType.UInt16 => typeof(ushort),
        NpyType.Int32 => typeof(int),
        NpyType.Int64 => typeof(long),
        NpyType.UInt8 => typeof(byte),
        NpyType.Bool => typeof(bool),
        NpyType.Unicode => typeof(string),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>The values as the given .NET type, or a clear error naming the array and both types.</summary>
    public T[] As<T>(string name)
    {
        if (Values is T[] typed) return typed;
        throw new InputException($"{name}: expected dtype {typeof(T).Name}, found {Descriptor}");
    }

    /// <summary>Values converted to double (numeric arrays only).</summary>
    public double[] ToDoubles(string name) => Values switch
    {
        double[] d => d,
        float[] f => Array.ConvertAll(f, x => (double)x),
        int[] i => Array.ConvertAll(i, x => (double)x),
        long[] l => Array.ConvertAll(l, x => (double)x),
        sbyte[] s => Array.ConvertAll(s, x => (double)x),
        short[] h => Array.ConvertAll(h, x => (double)x),
        ushort[] u => Array.ConvertAll(u, x => (double)x),
        byte[] b => Array.ConvertAll(b, x => (double)x),
        bool[] b => Array.ConvertAll(b, x => x ? 1.0 : 0.0),
        _ => throw new InputException($"{name}: expected a numeric array, found {Descriptor}"),
    };

    /// <summary>Values converted to long (integer or bool arrays only).</summary>
    public long[] ToLongs(string name) => Values switch
    {
        long[] l => l,
        int[] i => Array.ConvertAll(i, x => (long)x),
        sbyte[] s => Array.ConvertAll(s, x => (long)x),
        short[] h => Array.ConvertAll(h, x => (long)x),
        ushort[] u => Array.ConvertAll(u, x => (long)x),
        byte[] b => Array.ConvertAll(b, x => (long)x),
        bool[] b => Array.ConvertAll(b, x => x ? 1L : 0L),
        _ => throw new InputException($"{name}: expected an integer array, found {Descriptor}"),
    };
}
