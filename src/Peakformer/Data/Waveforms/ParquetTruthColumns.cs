using System.Globalization;
using Parquet;
using Parquet.Data;
using Parquet.Schema;
using Peakformer.Data.Npy;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Truth columns of a Parquet file in the layout pandas and awkward write, one row per waveform: a list column for each
/// per-electron array (electron_time_ns, electron_peak_sample, ...; the offsets are the lists' lengths, taken from
/// electron_time_ns and checked in every other list) and a number column for each per-waveform value (particle,
/// n_clusters, ...); the generator's config as the key-value metadata 'config'. Read one row group at a time; each
/// group's declared values are checked from the footer (at most <see cref="ParquetWaveformSource.MaxGroupValues"/>,
/// and all groups together at most what the file's size allows) before anything is decoded or allocated.
/// </summary>
internal sealed class ParquetTruthColumns : ITruthColumns, IDisposable
{
    private readonly ParquetReader _reader;
    private readonly string _path;
    private readonly List<Field> _columns;
    private readonly long[] _groupStart;
    private readonly WaveformArrayNames _names;
    private readonly long _fileBytes;
    private readonly Dictionary<string, long> _declared = [];

    public ParquetTruthColumns(string path, WaveformArrayNames names)
    {
        _path = path;
        _names = names;
        _fileBytes = new FileInfo(path).Length;
        _reader = ParquetWaveformSource.Guard(path, () => ParquetReader.CreateAsync(path).GetAwaiter().GetResult());
        try
        {
            _columns = ParquetWaveformSource.Guard(path, () => _reader.Schema.Fields.ToList());
            int groups = ParquetWaveformSource.Guard(path, () => _reader.RowGroupCount);
            _groupStart = new long[groups + 1];
            for (int g = 0; g < groups; g++)
                _groupStart[g + 1] = _groupStart[g] + Math.Max(0, ParquetWaveformSource.Guard(path, () => _reader.OpenRowGroupReader(g).RowCount));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public bool HasTruth => Has(_names["electron_time_ns"]);

    public bool Has(string name) => _columns.Any(c => c.Name == name);

    public string? Config => _reader.CustomMetadata.TryGetValue("config", out string? json) ? json : null;

    public long[] Offsets(WaveformArrayNames names, int count)
    {
        if (_groupStart[^1] != count)
            throw InputException.At(_path, null, "rows", $"{count} (one per waveform)", _groupStart[^1].ToString(CultureInfo.InvariantCulture));
        var offsets = new long[count + 1];
        var (item, where) = ListField(names["electron_time_ns"]);
        for (int g = 0; g + 1 < _groupStart.Length; g++)
        {
            var (_, lengths) = Decode(item, where, g);
            for (int r = 0; r < lengths.Count; r++)
            {
                long row = _groupStart[g] + r;
                offsets[row + 1] = offsets[row] + lengths[r];
            }
        }
        return offsets;
    }

    public double[] Doubles(string name, long expected, long[]? offsets) => Read(name, expected, offsets, integers: false).ToDoubles($"{_path} [{name}]");

    public long[] Longs(string name, long expected, long[]? offsets) => Read(name, expected, offsets, integers: true).ToLongs($"{_path} [{name}]");

    /// <summary>A column's values over all row groups, in the column's own type (expected values, checked per group).</summary>
    private NpyArray Read(string name, long expected, long[]? offsets, bool integers)
    {
        var field = _columns.FirstOrDefault(c => c.Name == name)
            ?? throw InputException.At(_path, null, null, $"column '{name}' with the other truth columns (rename with --map)", "none");
        string where = $"{_path} [{name}]";
        DataField data = offsets is null
            ? field as DataField is { IsArray: false } scalar ? scalar : throw InputException.At(where, null, "type", "one number per row", ParquetWaveformSource.Describe(field))
            : ListField(name).Item;
        var type = TypeOf(data, where, integers, field);
        var all = Array.CreateInstance(NpyArray.ElementType(type), (int)expected);
        long at = 0;
        for (int g = 0; g + 1 < _groupStart.Length; g++)
        {
            Array part;
            if (offsets is null)
            {
                var group = ParquetWaveformSource.Guard(_path, () => _reader.OpenRowGroupReader(g));
                part = Scalars(group, data, where, g, type);
            }
            else
            {
                (part, var lengths) = Decode(data, where, g);
                for (int r = 0; r < lengths.Count; r++)
                {
                    long row = _groupStart[g] + r, electrons = offsets[row + 1] - offsets[row];
                    if (lengths[r] != electrons)
                        throw InputException.At(where, null, $"waveform {row}", $"{electrons} values like its {_names["electron_time_ns"]} list", $"{lengths[r]}");
                }
            }
            if (at + part.Length > expected)
                throw InputException.At(where, null, $"row group {g}", $"{expected} values in all", $"more ({at + part.Length} by this group)");
            Array.Copy(part, 0, all, at, part.Length);
            at += part.Length;
        }
        if (at != expected) throw InputException.At(where, null, null, $"{expected} values", $"{at}");
        return new NpyArray(type, [expected], all);
    }

    private (DataField Item, string Where) ListField(string name)
    {
        string where = $"{_path} [{name}]";
        var field = _columns.FirstOrDefault(c => c.Name == name)
            ?? throw InputException.At(_path, null, null, $"column '{name}' with the other truth columns (rename with --map)", "none");
        return field switch
        {
            ListField { Item: DataField item } => (item, where),
            DataField { IsArray: true } repeated => (repeated, where),
            _ => throw InputException.At(where, null, "type", "a list of numbers, one list (of each electron's value) per waveform", ParquetWaveformSource.Describe(field)),
        };
    }

    /// <summary>
    /// One row group of a list column: its values and each row's list length (an empty list is a waveform without
    /// electrons; a null list or null value is refused). The declared sizes are checked from the footer first.
    /// </summary>
    private (Array Values, List<int> Lengths) Decode(DataField item, string where, int g)
    {
        var group = ParquetWaveformSource.Guard(_path, () => _reader.OpenRowGroupReader(g));
        var declared = ParquetWaveformSource.Guard(where, () => group.GetMetadata(item)?.MetaData);
        long values = declared?.NumValues ?? 0, bytes = declared?.TotalUncompressedSize ?? 0, total = TotalDeclared(item, where);
        // Values and bytes both: a footer may declare few values in pages of any size. 8 bytes per value and its
        // two levels, with room for page headers, as the waveform reader allows its samples.
        if (values > ParquetWaveformSource.MaxGroupValues || bytes > 16 * ParquetWaveformSource.MaxGroupValues || total > _fileBytes * Hdf5WaveformSource.MaxCompression)
            throw InputException.At(where, null, $"row group {g}", $"at most {ParquetWaveformSource.MaxGroupValues} values in {16 * ParquetWaveformSource.MaxGroupValues} bytes per row group and {_fileBytes * Hdf5WaveformSource.MaxCompression:G4} values in a file of {_fileBytes} bytes",
                $"{values} values in {bytes} bytes declared ({total} values in all)");
        var type = TypeOf(item, where, integers: false, item);
        return type switch
        {
            NpyType.Float32 => Decode<float>(group, item, where, g),
            NpyType.Float64 => Decode<double>(group, item, where, g),
            NpyType.Int8 => Decode<sbyte>(group, item, where, g),
            NpyType.UInt8 => Decode<byte>(group, item, where, g),
            NpyType.Int16 => Decode<short>(group, item, where, g),
            NpyType.UInt16 => Decode<ushort>(group, item, where, g),
            NpyType.Int32 => Decode<int>(group, item, where, g),
            _ => Decode<long>(group, item, where, g),
        };
    }

    /// <summary>The values all row groups declare for a column (from the footer, summed once per column).</summary>
    private long TotalDeclared(DataField item, string where)
    {
        if (_declared.TryGetValue(item.Path.ToString(), out long known)) return known;
        long total = 0;
        for (int g = 0; g + 1 < _groupStart.Length; g++)
            total += ParquetWaveformSource.Guard(where, () => _reader.OpenRowGroupReader(g).GetMetadata(item)?.MetaData?.NumValues ?? 0);
        return _declared[item.Path.ToString()] = total;
    }

    private (Array Values, List<int> Lengths) Decode<T>(ParquetRowGroupReader group, DataField item, string where, int g) where T : struct
    {
        using var column = ParquetWaveformSource.Guard(where, () => (RawColumnData<T>)group.ReadRawColumnDataBaseAsync(item).AsTask().GetAwaiter().GetResult());
        var repetition = column.RepetitionLevels;
        var definition = column.DefinitionLevels;
        int max = item.MaxDefinitionLevel, empty = max - 1 - (item.IsNullable ? 1 : 0);
        var lengths = new List<int>();
        for (int i = 0; i < repetition.Length; i++)
        {
            int level = definition.Length > 0 ? definition[i] : max;
            if (repetition[i] == 0) lengths.Add(0);
            else if (lengths.Count == 0) throw InputException.At(where, null, $"row group {g}", "a list starting at its first value", $"repetition level {repetition[i]}");
            if (level == max) lengths[^1]++;
            else if (!(repetition[i] == 0 && level == empty))
                throw InputException.At(where, null, $"waveform {_groupStart[g] + lengths.Count - 1}", "a list of numbers (empty for no electrons), without nulls", $"a null list or value (definition level {level} of {max})");
        }
        long rows = _groupStart[g + 1] - _groupStart[g];
        if (lengths.Count != rows)
            throw InputException.At(where, null, $"row group {g}", $"{rows} lists (its row count)", $"{lengths.Count}");
        long defined = lengths.Sum(n => (long)n);
        var all = column.Values;
        // The decoder packs the defined values first; its buffer may keep a slot for every level (an empty list's too).
        if (all.Length < defined || (all.Length > defined && all.Length != repetition.Length))
            throw InputException.At(where, null, $"row group {g}", $"{defined} values (its levels)", $"{all.Length}");
        return (all[..(int)defined].ToArray(), lengths);
    }

    private Array Scalars(ParquetRowGroupReader group, DataField data, string where, int g, NpyType type)
    {
        long first = _groupStart[g], rows = _groupStart[g + 1] - first;
        // The footer's sizes before any page is read: one value per row, at most 8 bytes each (and page headers).
        var declared = ParquetWaveformSource.Guard(where, () => group.GetMetadata(data)?.MetaData);
        long values = declared?.NumValues ?? 0, bytes = declared?.TotalUncompressedSize ?? 0;
        if (values > rows || bytes > 16 * rows + (1 << 20))
            throw InputException.At(where, null, $"row group {g}", $"{rows} values (one per waveform) in at most {16 * rows + (1 << 20)} bytes",
                $"{values} values in {bytes} bytes declared");
        // Whole numbers stay exact as long (a double holds integers only to 2^53).
        Array part = type switch
        {
            NpyType.Int64 => ParquetWaveformSource.ScalarValues<long>(group, data, where, first),
            NpyType.Int32 => ParquetWaveformSource.ScalarValues<int>(group, data, where, first),
            NpyType.Int16 => ParquetWaveformSource.ScalarValues<short>(group, data, where, first),
            NpyType.UInt16 => ParquetWaveformSource.ScalarValues<ushort>(group, data, where, first),
            NpyType.Int8 => ParquetWaveformSource.ScalarValues<sbyte>(group, data, where, first),
            NpyType.UInt8 => ParquetWaveformSource.ScalarValues<byte>(group, data, where, first),
            NpyType.Float32 => ParquetWaveformSource.ScalarValues<float>(group, data, where, first),
            _ => ParquetWaveformSource.ScalarValues<double>(group, data, where, first),
        };
        if (part.Length != rows)
            throw InputException.At(where, null, $"row group {g}", $"{rows} values, one per waveform (no nulls)", $"{part.Length}");
        return part;
    }

    /// <summary>A column's element type in NumPy's terms; integers required where the array holds indices or codes.</summary>
    private static NpyType TypeOf(DataField data, string where, bool integers, Field field)
    {
        var t = data.ClrType;
        NpyType type = t == typeof(float) ? NpyType.Float32 : t == typeof(double) ? NpyType.Float64
            : t == typeof(int) ? NpyType.Int32 : t == typeof(long) ? NpyType.Int64
            : t == typeof(short) ? NpyType.Int16 : t == typeof(ushort) ? NpyType.UInt16
            : t == typeof(byte) ? NpyType.UInt8 : t == typeof(sbyte) ? NpyType.Int8
            : throw InputException.At(where, null, "type", integers ? "integers" : "numbers", ParquetWaveformSource.Describe(field));
        if (integers && type is NpyType.Float32 or NpyType.Float64)
            throw InputException.At(where, null, "type", "integers", ParquetWaveformSource.Describe(field));
        return type;
    }

    public void Dispose() => _reader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
