using System.Globalization;
using System.Runtime.InteropServices;
using Parquet;
using Parquet.Data;
using Parquet.Schema;
using Peakformer.Data.Npy;
using Peakformer.Engine.Files;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Waveforms from a Parquet file (read by Parquet.Net, no native library), one row per waveform: a list column
/// 'waveforms' (or the name --map gives) of float32, float64, int16, uint16 or int32, the layout pandas, awkward and ml4cc
/// write; optional scalar columns 'pedestal' and 'gain' (one per waveform) and 'sampling_ns' (one value for the file,
/// as a column or as the file's key-value metadata). Rows are read one row group at a time and only one is held, with
/// its own pedestal and gain values; a row group may declare at most <see cref="MaxGroupValues"/> samples (fewer for
/// wider types), checked from the footer before reading it, so one held group needs at most <see cref="MaxGroupBytes"/>.
/// </summary>
public sealed class ParquetWaveformSource : IWaveformSource
{
    /// <summary>
    /// Memory one held row group may need: its decoded values, their repetition and definition levels (an int32 each)
    /// and the float32 amplitudes made from them, well under the 500 MB a streamed run stays within.
    /// </summary>
    public const long MaxGroupBytes = 1L << 28;

    /// <summary>Most float32 samples one row group may hold (2^24: 4 + 8 + 4 bytes each within <see cref="MaxGroupBytes"/>).</summary>
    public const long MaxGroupValues = MaxGroupBytes / 16;

    private readonly ParquetReader _reader;
    private readonly DataField _samples;
    private readonly NpyType _type;
    private readonly AmplitudeScale _scale;
    private readonly long[] _groupStart;
    private readonly WaveformReadOptions _options;
    private readonly DataField? _pedestal, _gain;
    private readonly List<string> _notes = [];
    private readonly string _where;
    private int _heldGroup = -1;
    private float[] _held = [];

    public ParquetWaveformSource(string path, WaveformReadOptions options) : this(path, options, null) { }

    /// <summary>With another row-group cap (tests show the check without writing a 256 MiB file).</summary>
    internal ParquetWaveformSource(string path, WaveformReadOptions options, long? maxGroupValues)
    {
        Path = path;
        _options = options;
        if (NativeFiles.WhyNotInput(path) is { } why) throw new InputException($"{path}: {why}");
        var names = options.Names;
        string name = names["waveforms"];
        _where = $"{path} [{name}]";
        _reader = Guard(path, () => ParquetReader.CreateAsync(path).GetAwaiter().GetResult());
        try
        {
            var columns = Guard(path, () => _reader.Schema.Fields.ToList());
            var field = columns.FirstOrDefault(f => f.Name == name)
                ?? throw InputException.At(path, null, null, $"column '{name}' (rename with --map waveforms=COLUMN)", $"only {string.Join(", ", columns.Select(c => c.Name))}");
            _samples = field switch
            {
                ListField { Item: DataField item } => item,
                DataField { IsArray: true } repeated => repeated,
                _ => throw InputException.At(_where, null, "type", "a list of numbers, one list per waveform", Describe(field)),
            };
            _type = _samples.ClrType == typeof(float) ? NpyType.Float32
                : _samples.ClrType == typeof(double) ? NpyType.Float64
                : _samples.ClrType == typeof(short) ? NpyType.Int16
                : _samples.ClrType == typeof(ushort) ? NpyType.UInt16
                : _samples.ClrType == typeof(int) ? NpyType.Int32
                : throw InputException.At(_where, null, "type", "a list of float32, float64, int16, uint16 or int32", Describe(field));

            long cap = maxGroupValues ?? MaxGroupBytes / (ElementBytes(_type) + 12);
            int groups = Guard(path, () => _reader.RowGroupCount);
            _groupStart = new long[groups + 1];
            for (int g = 0; g < groups; g++)
            {
                var group = Guard(Path, () => _reader.OpenRowGroupReader(g));
                var declared = Guard(_where, () => group.GetMetadata(_samples)?.MetaData);
                long values = declared?.NumValues ?? 0, bytes = declared?.TotalUncompressedSize ?? 0;
                // Sizes from the footer, before any page is read: a group too large for memory is refused, not allocated.
                if (group.RowCount < 0 || values > cap || bytes > cap * 16)
                    throw InputException.At(_where, null, $"row group {g}", $"at most {cap} samples per row group (write smaller row groups, e.g. pyarrow's row_group_size)", $"{values} samples ({bytes} bytes) declared for {group.RowCount} rows");
                // Every row holds at least one sample: more rows than values is a damaged footer, not rows to allocate for.
                if (group.RowCount > values)
                    throw InputException.At(_where, null, $"row group {g}", declared is null ? "its column metadata (sizes) in the footer" : $"at most {values} rows (one sample or more each)",
                        declared is null ? "none" : $"{group.RowCount} rows declared");
                _groupStart[g + 1] = _groupStart[g] + group.RowCount;
            }
            Count = _groupStart[groups] <= int.MaxValue ? (int)_groupStart[groups]
                : throw InputException.At(path, null, "rows", $"at most {int.MaxValue} waveforms", _groupStart[groups].ToString(CultureInfo.InvariantCulture));

            if (Count == 0) throw InputException.At(path, null, "rows", "at least one waveform", "none");
            // The record length is the first waveform's; every row is checked against it as its group is read.
            Samples = FirstLength(Enumerable.Range(0, groups).First(g => _groupStart[g + 1] > _groupStart[g]));

            // Scalar columns are read one row group at a time, here to check them and again as each group is held.
            var samplingField = ScalarField(columns, names["sampling_ns"]);
            double? fileSampling = null;
            for (int g = 0; g < groups && samplingField is not null; g++)
                foreach (double v in Scalars(samplingField, g))
                {
                    fileSampling ??= v;
                    if (v != fileSampling)
                        throw InputException.At($"{path} [{names["sampling_ns"]}]", null, null, $"one sampling interval for the whole file ({Show(fileSampling.Value)} ns)", $"{Show(v)} too");
                }
            if (fileSampling is null && _reader.CustomMetadata.TryGetValue(names["sampling_ns"], out string? text))
                fileSampling = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v
                    : throw InputException.At($"{path} [key-value metadata {names["sampling_ns"]}]", null, null, "a number of ns", $"'{text}'");
            // Per-waveform columns the options do not replace; the file's scale is settled (and noted) from their presence.
            _pedestal = options.Pedestal is null ? ScalarField(columns, names["pedestal"]) : null;
            _gain = options.Gain is null ? ScalarField(columns, names["gain"]) : null;
            bool hasPedestal = ScalarField(columns, names["pedestal"]) is not null, hasGain = ScalarField(columns, names["gain"]) is not null;
            var calibration = WaveformCalibration.Resolve(path, names["sampling_ns"], _type, Count, fileSampling,
                hasPedestal ? [0.0] : null, hasGain ? [1.0] : null, options, _notes);
            SamplingNs = calibration.SamplingNs;
            _scale = calibration.Scale;
            for (int g = 0; g < groups; g++) GroupScale(g);
        }
        catch
        {
            Close();
            throw;
        }
    }

    public string Path { get; }
    public int Count { get; }
    public int Samples { get; }
    public double SamplingNs { get; }
    public int Files => 1;
    public string AmplitudeUnit => _scale.Unit;
    public IReadOnlyList<string> Notes => _notes;

    public (string File, int Event) Origin(int row) => (Path, row);

    public void ReadRows(int start, int count, Span<float> destination)
    {
        int done = 0;
        while (done < count)
        {
            int row = start + done;
            int g = Array.BinarySearch(_groupStart, row);
            g = g >= 0 ? g : ~g - 1;
            while (_groupStart[g + 1] <= row) g++; // empty row groups share their start with the next
            Hold(g);
            int offset = (int)(row - _groupStart[g]);
            int take = (int)Math.Min(count - done, _groupStart[g + 1] - row);
            _held.AsSpan(offset * Samples, take * Samples).CopyTo(destination.Slice(done * Samples, take * Samples));
            done += take;
        }
    }

    /// <summary>Reads, checks and converts one row group, dropping the one held before.</summary>
    private void Hold(int g)
    {
        if (_heldGroup == g) return;
        _held = [];
        _heldGroup = -1;
        long rows = _groupStart[g + 1] - _groupStart[g];
        var scale = GroupScale(g);
        float[] held = [];
        Decode(g, (raw, lengths) =>
        {
            if (lengths.Count != rows)
                throw InputException.At(_where, null, $"row group {g}", $"{rows} waveforms (its row count)", $"{lengths.Count} lists");
            for (int r = 0; r < lengths.Count; r++)
                if (lengths[r] != Samples)
                    throw InputException.At(_where, null, $"waveform {_groupStart[g] + r}", $"{Samples} samples like waveform 0 (one record length per file)", $"{lengths[r]}");
            held = new float[rows * Samples];
            if (_type == NpyType.Int32)
            {
                // int32 counts (what some writers make of int16) are exact in double, the converter's own precision;
                // widened one row at a time, so no second copy of the group.
                var counts = MemoryMarshal.Cast<byte, int>(raw);
                var wide = new double[Samples];
                for (int r = 0; r < rows; r++)
                {
                    for (int i = 0; i < Samples; i++) wide[i] = counts[r * Samples + i];
                    scale.Apply(NpyType.Float64, MemoryMarshal.AsBytes(wide.AsSpan()), r, 1, Samples, held.AsSpan(r * Samples, Samples));
                }
            }
            else scale.Apply(_type, raw, 0, (int)rows, Samples, held);
        });
        _held = held;
        _heldGroup = g;
    }

    /// <summary>
    /// The scale of one row group's rows (indexed from its first row): the file's pedestal and gain columns read for
    /// that group alone, the options as settled for the file.
    /// </summary>
    private AmplitudeScale GroupScale(int g)
    {
        if (_pedestal is null && _gain is null) return _scale;
        long first = _groupStart[g], rows = _groupStart[g + 1] - first;
        double[]? pedestal = _pedestal is null ? null : Scalars(_pedestal, g);
        double[]? gain = _gain is null ? null : Scalars(_gain, g);
        return AmplitudeScale.From($"{Path} (row group {g}, from waveform {first})", _type, (int)rows, pedestal, gain, _options, []);
    }

    /// <summary>Hands the samples of one row group, as raw little-endian values, and each row's length to <paramref name="use"/> while they are decoded.</summary>
    private void Decode(int g, GroupValues use)
    {
        var group = Guard(Path, () => _reader.OpenRowGroupReader(g));
        switch (_type)
        {
            case NpyType.Float32: Decode<float>(group, g, use); break;
            case NpyType.Float64: Decode<double>(group, g, use); break;
            case NpyType.Int16: Decode<short>(group, g, use); break;
            case NpyType.UInt16: Decode<ushort>(group, g, use); break;
            default: Decode<int>(group, g, use); break;
        }
    }

    private delegate void GroupValues(ReadOnlySpan<byte> raw, List<int> lengths);

    private static int ElementBytes(NpyType type) => type switch { NpyType.Float64 => 8, NpyType.Int16 or NpyType.UInt16 => 2, _ => 4 };

    private void Decode<T>(ParquetRowGroupReader group, int g, GroupValues use) where T : struct
    {
        using var column = Guard(_where, () => (RawColumnData<T>)group.ReadRawColumnDataBaseAsync(_samples).AsTask().GetAwaiter().GetResult());
        var rowLengths = new List<int>();
        var repetition = column.RepetitionLevels;
        for (int i = 0; i < repetition.Length; i++)
        {
            if (repetition[i] == 0) rowLengths.Add(0);
            else if (rowLengths.Count == 0) throw InputException.At(_where, null, $"row group {g}", "a list starting at its first value", $"repetition level {repetition[i]}");
            rowLengths[^1]++;
        }
        int levels = 0;
        if (_samples.MaxDefinitionLevel > 0)
        {
            // An empty or null list, or a null sample, is a level below the column's maximum (a level with no value).
            var definition = column.DefinitionLevels;
            levels = definition.Length;
            for (int i = 0, row = -1; i < definition.Length; i++)
            {
                if (i < repetition.Length && repetition[i] == 0) row++;
                if (definition[i] != _samples.MaxDefinitionLevel)
                    throw InputException.At(_where, null, $"waveform {_groupStart[g] + Math.Max(row, 0)}", "a list of numbers, not empty and without nulls", $"an empty or null list or a null sample (definition level {definition[i]} of {_samples.MaxDefinitionLevel})");
            }
        }
        var values = column.Values;
        if (values.Length != repetition.Length || (levels > 0 && levels != values.Length))
            throw InputException.At(_where, null, $"row group {g}", $"{repetition.Length} samples (its levels)", $"{values.Length} values");
        use(MemoryMarshal.AsBytes(values), rowLengths);
    }

    /// <summary>How many samples the first row of a group holds (decodes that group; the first read decodes it again).</summary>
    private int FirstLength(int g)
    {
        int first = 0;
        Decode(g, (_, lengths) =>
        {
            if (lengths.Count == 0 || lengths[0] < 1)
                throw InputException.At(_where, null, "waveform 0", "at least one sample", "none");
            first = lengths[0];
        });
        return first;
    }

    /// <summary>A scalar number column, or null when the file has none.</summary>
    private DataField? ScalarField(List<Field> columns, string name)
    {
        var field = columns.FirstOrDefault(f => f.Name == name);
        if (field is null) return null;
        return field is DataField { IsArray: false } data ? data
            : throw InputException.At($"{Path} [{name}]", null, "type", "one number per row", Describe(field));
    }

    /// <summary>A scalar column's values in one row group, one per row.</summary>
    private double[] Scalars(DataField data, int g)
    {
        string where = $"{Path} [{data.Name}]";
        var group = Guard(Path, () => _reader.OpenRowGroupReader(g));
        double[] part = data.ClrType switch
        {
            var t when t == typeof(double) => Scalars<double>(group, data, where, _groupStart[g], v => v),
            var t when t == typeof(float) => Scalars<float>(group, data, where, _groupStart[g], v => v),
            var t when t == typeof(int) => Scalars<int>(group, data, where, _groupStart[g], v => v),
            var t when t == typeof(long) => Scalars<long>(group, data, where, _groupStart[g], v => v),
            var t when t == typeof(short) => Scalars<short>(group, data, where, _groupStart[g], v => v),
            _ => throw InputException.At(where, null, "type", "numbers (float32, float64 or integers)", Describe(data)),
        };
        long rows = _groupStart[g + 1] - _groupStart[g];
        if (part.Length != rows)
            throw InputException.At(where, null, $"row group {g}", $"{rows} values, one per waveform (no nulls)", $"{part.Length}");
        return part;
    }

    private static double[] Scalars<T>(ParquetRowGroupReader group, DataField field, string where, long first, Func<T, double> value) where T : struct =>
        Array.ConvertAll(ScalarValues<T>(group, field, where, first), v => value(v));

    /// <summary>A number column's values in one row group (a row numbered from <paramref name="first"/>), a null a one-line error.</summary>
    internal static T[] ScalarValues<T>(ParquetRowGroupReader group, DataField field, string where, long first) where T : struct
    {
        using var column = Guard(where, () => (RawColumnData<T>)group.ReadRawColumnDataBaseAsync(field).AsTask().GetAwaiter().GetResult());
        if (field.MaxDefinitionLevel > 0)
        {
            // A null's slot may hold a default value: the levels, not the values, say which rows are null.
            var definition = column.DefinitionLevels;
            for (int i = 0; i < definition.Length; i++)
                if (definition[i] != field.MaxDefinitionLevel)
                    throw InputException.At(where, null, $"waveform {first + i}", "a number in every row (no nulls)", "null");
        }
        return column.Values.ToArray();
    }

    internal static string Describe(Field field) => field switch
    {
        DataField { IsArray: false } d => $"a column of {TypeName(d)}",
        DataField d => TypeName(d),
        ListField { Item: DataField item } => $"a list of {TypeName(item)}",
        ListField => "a list of lists or structures",
        _ => $"a {field.SchemaType} column",
    };

    /// <summary>A column's element type as NumPy and pyarrow name it (Parquet's physical type otherwise: text is BYTE_ARRAY).</summary>
    private static string TypeName(DataField d) => d.ClrType switch
    {
        var t when t == typeof(float) => "float32",
        var t when t == typeof(double) => "float64",
        var t when t == typeof(short) => "int16",
        var t when t == typeof(ushort) => "uint16",
        var t when t == typeof(int) => "int32",
        var t when t == typeof(long) => "int64",
        var t when t == typeof(bool) => "bool",
        _ => d.SchemaElement?.Type is { } physical ? $"{physical}" + (d.SchemaElement.ConvertedType is { } c ? $" ({c})" : "") : d.ClrType.Name,
    };

    private static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Whatever Parquet.Net throws on a damaged or unexpected file becomes one line naming the file and column.</summary>
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
            throw new InputException($"{where}: not a readable Parquet file or column, or truncated ({e.GetType().Name}: {e.Message})");
        }
    }

    public void Dispose() => Close();

    private void Close() => _reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
