using System.Runtime.InteropServices;
using Peakformer.Data.Npy;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Converts stored samples to the model's float32 amplitude: (adc - pedestal) * gain, times -1 with --invert (negative
/// pulses), formed in double and rounded once to float32. Pedestal and gain come from the file (one value, or one per waveform) or from options, which win
/// and say so. Float32 samples with neither are copied unchanged (bit for bit).
/// </summary>
public sealed class AmplitudeScale
{
    private readonly double[] _pedestal;
    private readonly double[] _gain;

    private AmplitudeScale(double[] pedestal, double[] gain, bool identity, string unit)
    {
        _pedestal = pedestal;
        _gain = gain;
        IsIdentity = identity;
        Unit = unit;
    }

    /// <summary>True when samples pass unchanged (no pedestal and no gain anywhere).</summary>
    public bool IsIdentity { get; }

    /// <summary>
    /// The unit of the amplitudes read, for axis labels: <see cref="ModelUnit"/> for float samples and for ADC counts
    /// with a gain; <see cref="AdcCounts"/> for integer samples read unscaled, "ADC counts - pedestal" with only a
    /// pedestal; in brackets after a minus sign when --invert flipped unscaled counts.
    /// </summary>
    public string Unit { get; }

    /// <summary>The model's amplitude unit (the simulator's: one electron of mean gain peaks at 0.5).</summary>
    public const string ModelUnit = "a.u., 1 e⁻ = 0.5";
    public const string AdcCounts = "ADC counts";

    /// <summary>
    /// The scale for a file: its pedestal/gain values (null when absent; each 1 or count long, checked by the caller's
    /// reader before reading), overridden by options. Notes say what was overridden or assumed.
    /// </summary>
    public static AmplitudeScale From(string where, NpyType type, int count, double[]? filePedestal, double[]? fileGain, WaveformReadOptions options, List<string> notes)
    {
        var pedestal = Pick(where, "pedestal", "--pedestal", count, filePedestal, options.Pedestal, notes);
        var gain = Pick(where, "gain", "--gain", count, fileGain, options.Gain, notes);
        Check(where, "pedestal", pedestal, double.IsFinite, "a finite pedestal in ADC counts");
        Check(where, "gain", gain, g => double.IsFinite(g) && g != 0, "a finite, non-zero gain");
        bool integer = type is NpyType.Int16 or NpyType.UInt16 or NpyType.Int8 or NpyType.UInt8 or NpyType.Int32 or NpyType.Int64;
        // Integer samples are ADC counts: whatever half of the conversion is missing is said, never assumed silently.
        if (integer && pedestal is null && gain is null)
            notes.Add($"{where}: {NpyTypes.Descriptor(type)} samples (ADC counts) used unscaled: give --pedestal and --gain (or 'pedestal'/'gain' arrays) to convert them to the model's amplitude");
        else if (integer && pedestal is null)
            notes.Add($"{where}: {NpyTypes.Descriptor(type)} samples (ADC counts) scaled by the gain with a pedestal of 0: give --pedestal (or a 'pedestal' array) if the baseline is not at 0 counts");
        else if (integer && gain is null)
            notes.Add($"{where}: {NpyTypes.Descriptor(type)} samples (ADC counts) pedestal-subtracted with a gain of 1: give --gain (or a 'gain' array) to convert counts to the model's amplitude");
        string unit = !integer || gain is not null ? ModelUnit : pedestal is null ? AdcCounts : $"{AdcCounts} - pedestal";
        if (options.Invert && unit != ModelUnit) unit = $"-({unit})";
        if (options.Invert) gain = [.. (gain ?? [1.0]).Select(g => -g)];
        return new AmplitudeScale(pedestal ?? [0.0], gain ?? [1.0], pedestal is null && gain is null, unit);
    }

    private static double[]? Pick(string where, string name, string option, int count, double[]? file, double? value, List<string> notes)
    {
        if (value is { } v)
        {
            if (file is not null) notes.Add($"{where}: {option} {v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} used instead of the file's '{name}'");
            return [v];
        }
        if (file is not null && file.Length != 1 && file.Length != count)
            throw InputException.At(where, null, name, $"1 value or {count} (one per waveform)", $"{file.Length} values");
        return file;
    }

    private static void Check(string where, string name, double[]? values, Func<double, bool> valid, string expected)
    {
        if (values is null) return;
        for (int i = 0; i < values.Length; i++)
            if (!valid(values[i]))
                throw InputException.At(where, null, $"{name} index {i}", expected, values[i].ToString("R", System.Globalization.CultureInfo.InvariantCulture));
    }

    private double Pedestal(long row) => _pedestal.Length == 1 ? _pedestal[0] : _pedestal[row];
    private double Gain(long row) => _gain.Length == 1 ? _gain[0] : _gain[row];

    /// <summary>Converts rows [firstRow, firstRow + rows) stored as raw little-endian values of the given type.</summary>
    public void Apply(NpyType type, ReadOnlySpan<byte> raw, long firstRow, int rows, int samples, Span<float> destination)
    {
        switch (type)
        {
            case NpyType.Float32: Apply(MemoryMarshal.Cast<byte, float>(raw), firstRow, rows, samples, destination, x => x); break;
            case NpyType.Float64: Apply(MemoryMarshal.Cast<byte, double>(raw), firstRow, rows, samples, destination, x => x); break;
            case NpyType.Int16: Apply(MemoryMarshal.Cast<byte, short>(raw), firstRow, rows, samples, destination, x => x); break;
            case NpyType.UInt16: Apply(MemoryMarshal.Cast<byte, ushort>(raw), firstRow, rows, samples, destination, x => x); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), $"no waveform conversion from {type}");
        }
    }

    private void Apply<T>(ReadOnlySpan<T> raw, long firstRow, int rows, int samples, Span<float> destination, Func<T, double> value)
    {
        for (int r = 0; r < rows; r++)
        {
            double p = Pedestal(firstRow + r), g = Gain(firstRow + r);
            var src = raw.Slice(r * samples, samples);
            var dst = destination.Slice(r * samples, samples);
            for (int i = 0; i < samples; i++) dst[i] = (float)((value(src[i]) - p) * g);
        }
    }

    /// <summary>The sample types a waveform array may have.</summary>
    public static bool Readable(NpyType type) => type is NpyType.Float32 or NpyType.Float64 or NpyType.Int16 or NpyType.UInt16;

    public const string ReadableTypes = "float32, float64, int16 or uint16";
}
