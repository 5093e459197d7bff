using System.Globalization;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Waveforms resampled to another sampling interval (--resample: the model's), by linear interpolation between
/// neighbouring samples: sample j of the new grid is the straight line between the two input samples around
/// j x <see cref="SamplingNs"/>. The record keeps its duration: (L - 1) x from / to + 1 samples, rounded down.
/// Linear, not band-limited: downsampling by an integer factor keeps every k-th sample (no anti-alias filter), so
/// noise above the new Nyquist frequency folds in; pulses of a few ns are far below it at 0.5 ns. Rows are read
/// from the file in blocks, so memory stays bounded as without resampling.
/// </summary>
public sealed class ResampledSource : IWaveformSource
{
    private const int BlockRows = 256;
    private readonly IWaveformSource _source;
    private readonly List<string> _notes;
    private float[] _buffer = [];

    /// <summary>
    /// The longest resampled record: the simulator's longest (<see cref="DriftChamber.Simulation.SimulationConfig.MaxSamples"/>),
    /// so no model was trained on more, and a chunk of resampled waveforms stays within about 100 MB.
    /// </summary>
    public const int MaxSamples = DriftChamber.Simulation.SimulationConfig.MaxSamples;

    public ResampledSource(IWaveformSource source, double samplingNs)
    {
        if (!(samplingNs > 0 && double.IsFinite(samplingNs)))
            throw new InputException($"{source.Path}: --resample: the model's sampling interval must be a positive number of ns, found {samplingNs}");
        _source = source;
        SamplingNs = samplingNs;
        long samples = Length(source.Samples, source.SamplingNs, samplingNs);
        if (samples > MaxSamples)
            throw InputException.At(source.Path, null, "--resample", $"at most {MaxSamples:N0} samples per resampled waveform",
                $"{samples:N0} ({source.Samples:N0} samples at {Show(source.SamplingNs)} ns resampled to {Show(samplingNs)} ns)");
        Samples = (int)samples;
        _notes = [.. source.Notes, $"{source.Path}: --resample: every waveform resampled by linear interpolation from {Show(source.SamplingNs)} ns ({source.Samples} samples) to the model's {Show(samplingNs)} ns ({Samples} samples)"];
    }

    /// <summary>Samples of a record of <paramref name="samples"/> at <paramref name="fromNs"/> resampled to <paramref name="toNs"/>: the same duration, never past its last sample.</summary>
    public static long Length(int samples, double fromNs, double toNs)
    {
        // A hair of tolerance, so 0.25 -> 0.5 of 1200 samples is 600 and not 599 by rounding of the ratio.
        double last = (samples - 1) * fromNs / toNs;
        return (long)Math.Min(long.MaxValue / 2, Math.Floor(last + 1e-9) + 1);
    }

    /// <summary>One waveform resampled: <paramref name="output"/>[j] = the input linearly interpolated at j x to / from samples.</summary>
    public static void Resample(ReadOnlySpan<float> input, double fromNs, double toNs, Span<float> output)
    {
        double step = toNs / fromNs;
        for (int j = 0; j < output.Length; j++)
        {
            double x = j * step;
            int i = (int)Math.Floor(x + 1e-9);
            if (i >= input.Length - 1)
            {
                output[j] = input[^1];
                continue;
            }
            double f = Math.Max(0, x - i);
            output[j] = (float)(input[i] + f * ((double)input[i + 1] - input[i]));
        }
    }

    public string Path => _source.Path;
    public int Count => _source.Count;
    public int Samples { get; }
    public double SamplingNs { get; }
    public int Files => _source.Files;
    public string AmplitudeUnit => _source.AmplitudeUnit;
    public IReadOnlyList<string> Notes => _notes;
    public (string File, int Event) Origin(int row) => _source.Origin(row);

    public void ReadRows(int start, int count, Span<float> destination)
    {
        int length = _source.Samples;
        for (int done = 0; done < count; done += BlockRows)
        {
            int n = Math.Min(BlockRows, count - done);
            if (_buffer.Length < n * length) _buffer = new float[(long)n * length];
            _source.ReadRows(start + done, n, _buffer.AsSpan(0, n * length));
            for (int r = 0; r < n; r++)
                Resample(_buffer.AsSpan(r * length, length), _source.SamplingNs, SamplingNs, destination.Slice((done + r) * Samples, Samples));
        }
    }

    /// <summary>The source belongs to whoever opened it (the dataset this wraps closes it).</summary>
    public void Dispose() { }

    private static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
