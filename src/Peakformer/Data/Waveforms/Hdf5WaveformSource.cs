using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;
using Peakformer.Data.Npy;
using Peakformer.Engine.Files;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Waveforms from an HDF5 file (read by PureHDF, no native library): dataset '/waveforms' (or the name --map gives)
/// of float32, float64, int16 or uint16 [N, L], with optional datasets 'sampling_ns', 'pedestal', 'gain' (one value
/// or one per waveform). Rows are read as hyperslabs; sizes are checked from the file's metadata before any read.
/// </summary>
public sealed class Hdf5WaveformSource : IWaveformSource
{
    /// <summary>Most a dataset may declare beyond the file's size (HDF5 compresses chunks, deflate by at most 1032:1).</summary>
    internal const double MaxCompression = 1032;

    private readonly NativeFile _file;
    private readonly IH5Dataset _waveforms;
    private readonly NpyType _type;
    private readonly AmplitudeScale _scale;
    private readonly List<string> _notes = [];
    private readonly string _where;

    public Hdf5WaveformSource(string path, WaveformReadOptions options)
    {
        Path = path;
        if (NativeFiles.WhyNotInput(path) is { } why) throw new InputException($"{path}: {why}");
        var names = options.Names;
        _where = $"{path} [{Name(names["waveforms"])}]";
        long fileBytes = new FileInfo(path).Length;
        _file = Guard(path, () => H5File.OpenRead(path));
        try
        {
            string key = Name(names["waveforms"]);
            if (!Guard(path, () => _file.LinkExists(key)))
                throw InputException.At(path, null, null, $"dataset '{key}' (rename with --map waveforms=/path/in/file)", $"only {string.Join(", ", Guard(path, () => _file.Children().Select(c => "/" + c.Name)))}");
            _waveforms = Guard(_where, () => _file.Dataset(key));
            _type = Guard(_where, () => TypeOf(_waveforms, _where));
            var dims = Guard(_where, () => _waveforms.Space.Dimensions);
            if (!AmplitudeScale.Readable(_type) || dims.Length != 2)
                throw InputException.At(_where, null, null, $"{AmplitudeScale.ReadableTypes} [N, L]", $"{NpyTypes.Descriptor(_type)} with shape ({string.Join(", ", dims)})");
            Count = dims[0] <= int.MaxValue ? (int)dims[0] : throw InputException.At(_where, null, "shape[0]", $"at most {int.MaxValue} waveforms", dims[0].ToString());
            Samples = dims[1] is >= 1 and <= int.MaxValue ? (int)dims[1] : throw InputException.At(_where, null, "shape[1]", $"1 to {int.MaxValue} samples per waveform", dims[1].ToString());
            double declared = (double)dims[0] * dims[1] * NpyTypes.ItemSize(_type);
            if (declared > fileBytes * MaxCompression)
                throw InputException.At(_where, null, "shape", $"at most {fileBytes * MaxCompression:G4} bytes of data in a file of {fileBytes} bytes", $"({dims[0]}, {dims[1]}) = {declared:G4} bytes declared");
            var calibration = WaveformCalibration.Resolve(path, Name(names["sampling_ns"]), _type, Count, Optional(names["sampling_ns"], 1)?[0],
                Optional(names["pedestal"], Count), Optional(names["gain"], Count), options, _notes);
            SamplingNs = calibration.SamplingNs;
            _scale = calibration.Scale;
            // Opening reads the first row, so a file cut short in its data fails here, before any output is begun.
            if (Count > 0) ReadRows(0, 1, new float[Samples]);
        }
        catch
        {
            _file.Dispose();
            throw;
        }
    }

    public string Path { get; }
    /// <summary>The open file (the truth datasets are read from it too).</summary>
    internal NativeFile File => _file;
    public int Count { get; }
    public int Samples { get; }
    public double SamplingNs { get; }
    public int Files => 1;
    public string AmplitudeUnit => _scale.Unit;
    public IReadOnlyList<string> Notes => _notes;

    public (string File, int Event) Origin(int row) => (Path, row);

    public void ReadRows(int start, int count, Span<float> destination)
    {
        var selection = new HyperslabSelection(rank: 2, starts: [(ulong)start, 0], blocks: [(ulong)count, (ulong)Samples]);
        ulong[] memory = [(ulong)count * (ulong)Samples];
        byte[] raw = Guard(_where, () => _type switch
        {
            NpyType.Float32 => Bytes(_waveforms.Read<float[]>(selection, memoryDims: memory)),
            NpyType.Float64 => Bytes(_waveforms.Read<double[]>(selection, memoryDims: memory)),
            NpyType.Int16 => Bytes(_waveforms.Read<short[]>(selection, memoryDims: memory)),
            _ => Bytes(_waveforms.Read<ushort[]>(selection, memoryDims: memory)),
        });
        // A corrupt chunk can decode to fewer values than asked for: checked before converting, so it is this one-line
        // error and not an index out of range, and the model never sees a partial row.
        if (raw.Length != (long)count * Samples * NpyTypes.ItemSize(_type))
            throw InputException.At(_where, null, $"rows {start} to {start + count - 1}", $"{(long)count * Samples} values", $"{raw.Length / NpyTypes.ItemSize(_type)}");
        _scale.Apply(_type, raw, start, count, Samples, destination);
    }

    private static byte[] Bytes<T>(T[] values) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>A small optional dataset (1 or 'most' values, checked from its declared shape before reading), or null.</summary>
    private double[]? Optional(string name, int most)
    {
        string key = Name(name);
        string where = $"{Path} [{key}]";
        if (!Guard(where, () => _file.LinkExists(key))) return null;
        var dataset = Guard(where, () => _file.Dataset(key));
        var type = Guard(where, () => TypeOf(dataset, where));
        double values = Guard(where, () => dataset.Space.Dimensions.Aggregate(1.0, (a, d) => a * d));
        if (values != 1 && values != most)
            throw InputException.At(where, null, "shape", most == 1 ? "one value" : $"1 value or {most}", $"{values:G} values");
        return Guard(where, () => type switch
        {
            NpyType.Float32 => dataset.Read<float[]>().Select(v => (double)v).ToArray(),
            NpyType.Float64 => dataset.Read<double[]>(),
            NpyType.Int16 => dataset.Read<short[]>().Select(v => (double)v).ToArray(),
            NpyType.UInt16 => dataset.Read<ushort[]>().Select(v => (double)v).ToArray(),
            NpyType.Int32 => dataset.Read<int[]>().Select(v => (double)v).ToArray(),
            NpyType.Int64 => dataset.Read<long[]>().Select(v => (double)v).ToArray(),
            _ => throw InputException.At(where, null, "type", "a number", NpyTypes.Descriptor(type)),
        });
    }

    /// <summary>The dataset's element type in NumPy's terms (what the error messages and the converter speak).</summary>
    internal static NpyType TypeOf(IH5Dataset dataset, string where)
    {
        var type = dataset.Type;
        return (type.Class, type.Size) switch
        {
            (H5DataTypeClass.FloatingPoint, 4) => NpyType.Float32,
            (H5DataTypeClass.FloatingPoint, 8) => NpyType.Float64,
            (H5DataTypeClass.FixedPoint, 1) => type.FixedPoint.IsSigned ? NpyType.Int8 : NpyType.UInt8,
            (H5DataTypeClass.FixedPoint, 2) => type.FixedPoint.IsSigned ? NpyType.Int16 : NpyType.UInt16,
            // Unsigned 32/64-bit values have no NumPy-side type here; read as signed they would turn large values negative.
            (H5DataTypeClass.FixedPoint, 4 or 8) when !type.FixedPoint.IsSigned =>
                throw InputException.At(where, null, "type", $"{AmplitudeScale.ReadableTypes} numbers (or signed integers for pedestal, gain, sampling_ns)", $"HDF5 unsigned {type.Size * 8}-bit integers (convert to int64 or float64)"),
            (H5DataTypeClass.FixedPoint, 4) => NpyType.Int32,
            (H5DataTypeClass.FixedPoint, 8) => NpyType.Int64,
            _ => throw InputException.At(where, null, "type", $"{AmplitudeScale.ReadableTypes} numbers", $"HDF5 {type.Class} of {type.Size} bytes"),
        };
    }

    internal static string Name(string name) => name.StartsWith('/') ? name : "/" + name;

    /// <summary>Whatever PureHDF throws on a damaged or unexpected file becomes one line naming the file and dataset.</summary>
    internal static T Guard<T>(string where, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (InputException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InputException($"{where}: not a readable HDF5 file or dataset, or truncated ({e.GetType().Name}: {e.Message})");
        }
    }

    public void Dispose() => _file.Dispose();
}
