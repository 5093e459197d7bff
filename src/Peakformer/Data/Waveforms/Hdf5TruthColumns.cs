using PureHDF;
using PureHDF.Selections;
using PureHDF.VOL.Native;
using Peakformer.Data.Npy;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Truth datasets of an HDF5 file, flat as in an .npz (h5py: <c>f["electron_time_ns"] = npz["electron_time_ns"]</c>).
/// Each dataset's declared size is checked against what is expected and against the file's size before any
/// allocation, and read as hyperslabs of at most <see cref="ChunkValues"/> values.
/// </summary>
internal sealed class Hdf5TruthColumns(NativeFile file, string path, WaveformArrayNames names) : ITruthColumns
{
    private const int ChunkValues = 1 << 20;
    private readonly long _fileBytes = new FileInfo(path).Length;

    public bool HasTruth => Has(names["electron_offsets"]);

    public bool Has(string name) => Hdf5WaveformSource.Guard($"{path} [{Hdf5WaveformSource.Name(name)}]", () => file.LinkExists(Hdf5WaveformSource.Name(name)));

    public long[] Offsets(WaveformArrayNames names, int count) => Longs(names["electron_offsets"], (long)count + 1, null);

    public double[] Doubles(string name, long expected, long[]? offsets)
    {
        var (dataset, type, where) = Open(name, expected);
        var values = new double[expected];
        Read(dataset, type, where, values.Length, (part, at) => part.ToDoubles(where).CopyTo(values, at));
        return values;
    }

    public long[] Longs(string name, long expected, long[]? offsets)
    {
        var (dataset, type, where) = Open(name, expected);
        if (type is NpyType.Float32 or NpyType.Float64)
            throw InputException.At(where, null, "type", "integers", NpyTypes.Descriptor(type));
        var values = new long[expected];
        Read(dataset, type, where, values.Length, (part, at) => part.ToLongs(where).CopyTo(values, at));
        return values;
    }

    public string? Config
    {
        get
        {
            string key = Hdf5WaveformSource.Name("config"), where = $"{path} [{key}]";
            if (!Hdf5WaveformSource.Guard(where, () => file.LinkExists(key))) return null;
            return Hdf5WaveformSource.Guard(where, () =>
            {
                var dataset = file.Dataset(key);
                if (dataset.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength))
                    throw InputException.At(where, null, "type", "a string (the generator's config as JSON)", $"HDF5 {dataset.Type.Class}");
                return dataset.Read<string>();
            });
        }
    }

    /// <summary>The dataset, its type and how to name it, its declared size checked before anything is read.</summary>
    private (IH5Dataset Dataset, NpyType Type, string Where) Open(string name, long expected)
    {
        string key = Hdf5WaveformSource.Name(name), where = $"{path} [{key}]";
        if (!Hdf5WaveformSource.Guard(where, () => file.LinkExists(key)))
            throw InputException.At(path, null, null, $"dataset '{key}' with the other truth datasets (rename with --map)", "none");
        var dataset = Hdf5WaveformSource.Guard(where, () => file.Dataset(key));
        var type = Hdf5WaveformSource.Guard(where, () => Hdf5WaveformSource.TypeOf(dataset, where));
        double declared = Hdf5WaveformSource.Guard(where, () => dataset.Space.Dimensions.Aggregate(1.0, (a, d) => a * d));
        if (declared != expected)
            throw InputException.At(where, null, "shape", $"{expected} values", $"{declared:R}");
        if (declared * NpyTypes.ItemSize(type) > _fileBytes * Hdf5WaveformSource.MaxCompression)
            throw InputException.At(where, null, "shape", $"at most {_fileBytes * Hdf5WaveformSource.MaxCompression:G4} bytes of data in a file of {_fileBytes} bytes", $"{declared:R} values declared");
        return (dataset, type, where);
    }

    /// <summary>Reads <paramref name="count"/> values in hyperslabs, each handed over in its own type with its first index.</summary>
    private static void Read(IH5Dataset dataset, NpyType type, string where, int count, Action<NpyArray, int> use)
    {
        int rank = Hdf5WaveformSource.Guard(where, () => dataset.Space.Dimensions.Length);
        if (rank > 1) throw InputException.At(where, null, "shape", "one dimension", $"{rank}");
        for (int at = 0; at < count; at += ChunkValues)
        {
            int n = Math.Min(ChunkValues, count - at);
            var selection = rank == 0 ? null : new HyperslabSelection(rank: 1, starts: [(ulong)at], blocks: [(ulong)n]);
            Array part = Hdf5WaveformSource.Guard(where, () => Raw(type, dataset, selection, [(ulong)n]));
            if (part.Length != n)
                throw InputException.At(where, null, $"values {at} to {at + n - 1}", $"{n} values", $"{part.Length}");
            use(new NpyArray(type, [n], part), at);
        }
    }

    private static Array Raw(NpyType type, IH5Dataset dataset, Selection? selection, ulong[] memory) => type switch
    {
        NpyType.Float32 => dataset.Read<float[]>(selection, memoryDims: memory),
        NpyType.Float64 => dataset.Read<double[]>(selection, memoryDims: memory),
        NpyType.Int8 => dataset.Read<sbyte[]>(selection, memoryDims: memory),
        NpyType.UInt8 => dataset.Read<byte[]>(selection, memoryDims: memory),
        NpyType.Int16 => dataset.Read<short[]>(selection, memoryDims: memory),
        NpyType.UInt16 => dataset.Read<ushort[]>(selection, memoryDims: memory),
        NpyType.Int32 => dataset.Read<int[]>(selection, memoryDims: memory),
        _ => dataset.Read<long[]>(selection, memoryDims: memory),
    };
}
