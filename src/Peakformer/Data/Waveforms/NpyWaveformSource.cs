using System.Runtime.InteropServices;
using Peakformer.Data.Npy;
using Peakformer.Engine.Files;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Waveforms from NumPy: the 'waveforms' array of an .npz (with optional 'sampling_ns', 'pedestal', 'gain') or a
/// bare .npy holding only the waveforms. float32, float64, int16 or uint16 [N, L]; rows are read by seeking, so a
/// read costs only its rows whatever the type.
/// </summary>
public sealed class NpyWaveformSource : IWaveformSource
{
    private delegate void RowBytes(long start, int count, Span<byte> destination);

    private readonly RowBytes _read;
    private readonly NpyType _type;
    private readonly AmplitudeScale _scale;
    private readonly IDisposable _owner;
    private readonly List<string> _notes = [];
    private byte[] _buffer = [];

    private NpyWaveformSource(string path, string where, NpyHeader header, RowBytes read, IDisposable owner,
        Func<string, int, double[]?> optional, WaveformReadOptions options)
    {
        Path = path;
        _read = read;
        _owner = owner;
        _type = header.Type;
        if (!AmplitudeScale.Readable(header.Type) || header.Shape.Length != 2)
            throw InputException.At(where, null, null, $"{AmplitudeScale.ReadableTypes} [N, L]", $"{NpyTypes.Descriptor(header.Type, header.UnicodeLength)} with shape ({string.Join(", ", header.Shape)})");
        Count = header.Shape[0] <= int.MaxValue ? (int)header.Shape[0]
            : throw InputException.At(where, null, "shape[0]", $"at most {int.MaxValue} waveforms", header.Shape[0].ToString());
        Samples = header.Shape[1] is >= 1 and <= int.MaxValue ? (int)header.Shape[1]
            : throw InputException.At(where, null, "shape[1]", $"1 to {int.MaxValue} samples per waveform", header.Shape[1].ToString());
        var names = options.Names;
        var calibration = WaveformCalibration.Resolve(path, names["sampling_ns"], _type, Count, optional(names["sampling_ns"], 1)?[0],
            optional(names["pedestal"], Count), optional(names["gain"], Count), options, _notes);
        SamplingNs = calibration.SamplingNs;
        _scale = calibration.Scale;
    }

    /// <summary>The waveforms of an open .npz (the caller owns the reader; it also reads the truth arrays).</summary>
    public static NpyWaveformSource FromNpz(NpzReader npz, WaveformReadOptions options)
    {
        string key = options.Names["waveforms"];
        var header = npz.Contains(key) ? npz.Header(key)
            : throw new InputException($"{npz.Path}: expected array '{key}', found only {string.Join(", ", npz.Keys.Order())}");
        double[]? Optional(string name, int most)
        {
            if (!npz.Contains(name)) return null;
            long count = npz.Header(name).Count;
            // Checked from the header before reading: one value or one per waveform, never more.
            if (count != 1 && count != most)
                throw InputException.At($"{npz.Path} [{name}]", null, "shape", most == 1 ? "one value" : $"1 value or {most}", $"{count} values");
            return npz.Read(name).ToDoubles($"{npz.Path} [{name}]");
        }
        return new NpyWaveformSource(npz.Path, $"{npz.Path} [{key}]", header, (s, n, d) => npz.ReadRowBytes(key, s, n, d), new NoOwner(), Optional, options);
    }

    /// <summary>A bare .npy file of waveforms (sampling interval and calibration from options).</summary>
    public static NpyWaveformSource FromNpy(string path, WaveformReadOptions options)
    {
        if (NativeFiles.WhyNotInput(path) is { } why) throw new InputException($"{path}: {why}");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var header = NpyHeader.Read(file, path);
            long expected = header.HeaderBytes + header.DataBytes;
            if (file.Length != expected)
                throw InputException.At(path, null, "file size", $"{expected} bytes (header {header.HeaderBytes} + shape ({string.Join(", ", header.Shape)}) x {header.ItemSize} bytes)", $"{file.Length} bytes");
            long rowBytes = header.Shape.Length == 2 ? header.Shape[1] * header.ItemSize : 0;
            void Read(long start, int count, Span<byte> destination)
            {
                file.Position = header.HeaderBytes + start * rowBytes;
                NpyHeader.ReadExactly(file, destination[..(int)(count * rowBytes)], path, "the data");
            }
            return new NpyWaveformSource(path, path, header, Read, file, (_, _) => null, options);
        }
        catch
        {
            file.Dispose();
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

    /// <summary>
    /// Most bytes read at once: a range is read in chunks of rows, so sizes stay far from int overflow (a converted
    /// read also bounds its buffer; a float32 read goes straight to the destination and splits only huge ranges).
    /// </summary>
    private const long ConvertBytes = 1 << 24, DirectBytes = 1 << 30;

    public void ReadRows(int start, int count, Span<float> destination)
    {
        long rowBytes = (long)Samples * NpyTypes.ItemSize(_type);
        bool direct = _type == NpyType.Float32 && _scale.IsIdentity;
        int rows = (int)Math.Clamp((direct ? DirectBytes : ConvertBytes) / rowBytes, 1, Math.Max(count, 1));
        if (rowBytes > Array.MaxLength)
            throw InputException.At(Path, null, "shape[1]", $"rows of at most {Array.MaxLength} bytes", $"{Samples} samples of {NpyTypes.ItemSize(_type)} bytes");
        for (int done = 0; done < count; done += rows)
        {
            int n = Math.Min(rows, count - done);
            var dst = destination.Slice(done * Samples, n * Samples);
            if (direct)
            {
                // The path simulated data takes: the file's bytes are the model's floats.
                _read(start + done, n, MemoryMarshal.AsBytes(dst));
                continue;
            }
            int bytes = (int)(n * rowBytes);
            if (_buffer.Length < bytes) _buffer = new byte[bytes];
            _read(start + done, n, _buffer.AsSpan(0, bytes));
            _scale.Apply(_type, _buffer.AsSpan(0, bytes), start + done, n, Samples, dst);
        }
    }

    public void Dispose() => _owner.Dispose();

    private sealed class NoOwner : IDisposable
    {
        public void Dispose() { }
    }
}
