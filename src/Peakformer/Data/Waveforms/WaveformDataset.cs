using Peakformer.Engine.Tensors;
using Peakformer.Data.Npy;
using Peakformer.DriftChamber.Physics;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// A waveform dataset: the waveforms of any format <see cref="WaveformSources"/> reads (whole or in row ranges),
/// and from one .npz, HDF5 or Parquet file the truth arrays too (<see cref="WaveformTruth"/>), read eagerly (they are small). Files from other tools need only
/// "waveforms" (and "sampling_ns"); truth arrays are optional and <see cref="HasTruth"/> says whether they are there.
/// </summary>
public sealed class WaveformDataset : IWaveformSource
{
    private readonly IWaveformSource _source;
    private IDisposable? _owner;
    private WaveformTruth? _truth;

    private WaveformDataset(IWaveformSource source)
    {
        _source = source;
        Path = source.Path;
        Count = source.Count;
        Samples = source.Samples;
        SamplingNs = source.SamplingNs;
    }

    private WaveformDataset(IWaveformSource source, IDisposable? owner, ITruthColumns? truth, WaveformReadOptions options) : this(source)
    {
        _owner = owner;
        if (truth is null) return;
        ConfigJson = truth.Config;
        CrossingNs = TriggerOffset(ConfigJson);
        _truth = WaveformTruth.Read(truth, Path, Count, Samples, options.Names);
    }

    public static WaveformDataset Open(string path) => Open(path, WaveformReadOptions.None);

    /// <summary>
    /// One .npz, HDF5 or Parquet file (waveforms and any truth), or any other format, list or pattern
    /// <see cref="WaveformSources"/> reads (waveforms only: no truth); with --resample and a model's interval, on its grid.
    /// </summary>
    public static WaveformDataset Open(string path, WaveformReadOptions options)
    {
        options.Validate();
        if (!WaveformSources.IsSingle(path)) return Resampled(new WaveformDataset(WaveformSources.Open(path, options)), options);
        switch (WaveformSources.Extension(path))
        {
            case ".h5" or ".hdf5" or ".hdf":
            {
                var source = new Hdf5WaveformSource(path, options);
                try
                {
                    return Resampled(new WaveformDataset(source, null, new Hdf5TruthColumns(source.File, path, options.Names), options), options);
                }
                catch
                {
                    source.Dispose();
                    throw;
                }
            }
            case ".parquet" or ".pq":
            {
                var source = new ParquetWaveformSource(path, options);
                try
                {
                    using var truth = new ParquetTruthColumns(path, options.Names);
                    return Resampled(new WaveformDataset(source, null, truth, options), options);
                }
                catch
                {
                    source.Dispose();
                    throw;
                }
            }
        }
        if (!WaveformSources.IsNpz(path)) return Resampled(new WaveformDataset(WaveformSources.Open(path, options)), options);
        var npz = new NpzReader(path);
        try
        {
            return Resampled(new WaveformDataset(NpyWaveformSource.FromNpz(npz, options), npz, new NpzTruthColumns(npz, options.Names), options), options);
        }
        catch
        {
            npz.Dispose();
            throw;
        }
    }

    public string Path { get; }
    public int Count { get; }
    public int Files => _source.Files;
    public string AmplitudeUnit => _source.AmplitudeUnit;
    public IReadOnlyList<string> Notes => _source.Notes;
    public (string File, int Event) Origin(int row) => _source.Origin(row);
    void IWaveformSource.ReadRows(int start, int count, Span<float> destination) => ReadWaveforms(start, count, destination);
    public int Samples { get; }
    public double SamplingNs { get; }
    public string? ConfigJson { get; private init; }
    public bool HasTruth => _truth is not null;
    /// <summary>When the track crossed the cell (the generator's trigger_offset_ns; 0 for files without a config).</summary>
    public double CrossingNs { get; private init; }

    public long[] ElectronOffsets => _truth?.ElectronOffsets ?? [];
    public double[] ElectronTimeNs => _truth?.ElectronTimeNs ?? [];
    public long[] ElectronPeakSample => _truth?.ElectronPeakSample ?? [];
    public long[] ElectronCluster => _truth?.ElectronCluster ?? [];
    public long[] ElectronTag => _truth?.ElectronTag ?? [];
    public long[] Particle => _truth?.Particle ?? [];
    /// <summary>Whether the file gives each waveform's particle (else <see cref="Particle"/> is all 0, pion, by default).</summary>
    public bool HasParticles => _truth?.HasParticles ?? false;
    public double[] MomentumGeV => _truth?.MomentumGeV ?? [];
    public double[] BetaGamma => _truth?.BetaGamma ?? [];
    public double[] TrackLengthCm => _truth?.TrackLengthCm ?? [];
    public long[] Clusters => _truth?.Clusters ?? [];

    /// <summary>Electron index range of event e.</summary>
    public (int Start, int End) ElectronRange(int e) => ((int)ElectronOffsets[e], (int)ElectronOffsets[e + 1]);

    /// <summary>
    /// The truth peaks of event e: the sample where each electron's pulse peaks, ascending (one entry per electron, so
    /// equal samples repeat). The one representation of truth peaks: windows are labelled, finders scored and
    /// clusters counted from it (<c>WaveformBatch.TruthPeaks</c> holds the same for a block).
    /// </summary>
    public int[] TruthPeaks(int e)
    {
        var (a, b) = ElectronRange(e);
        var peaks = new int[b - a];
        for (int k = a; k < b; k++) peaks[k - a] = (int)ElectronPeakSample[k]; // checked to lie in [0, Samples) on reading
        Array.Sort(peaks);
        return peaks;
    }

    /// <summary>
    /// Waveforms [start, start + count) into destination (count x Samples). Every waveform read goes through here, so
    /// this is where a NaN or infinite sample is refused (naming the waveform and sample) before any model or finder sees it.
    /// </summary>
    public void ReadWaveforms(int start, int count, Span<float> destination)
    {
        _source.ReadRows(start, count, destination);
        var values = destination[..(count * Samples)];
        int bad = FiniteScan.IndexOfNonFinite(values);
        if (bad < 0) return;
        // Named by its own file and event (from a list or pattern, not the global row of the whole list).
        int row = bad / Samples;
        var (file, e) = Origin(start + row);
        Finite.RequireRows(values.Slice(row * Samples, Samples), Samples, e, $"{file} [waveforms]", "waveform", "sample");
    }

    /// <summary>The waveforms of the given events (any order), read in contiguous blocks.</summary>
    public float[] ReadWaveforms(IReadOnlyList<int> events)
    {
        var values = new float[(long)events.Count * Samples];
        var order = Enumerable.Range(0, events.Count).OrderBy(i => events[i]).ToArray();
        const int block = 256;
        var buffer = new float[block * Samples];
        int loaded = -1;
        foreach (int i in order)
        {
            int e = events[i];
            if (loaded < 0 || e < loaded || e >= loaded + block)
            {
                loaded = e;
                ReadWaveforms(e, Math.Min(block, Count - e), buffer);
            }
            buffer.AsSpan((e - loaded) * Samples, Samples).CopyTo(values.AsSpan(i * Samples, Samples));
        }
        return values;
    }

    public float[] ReadWaveforms(int start, int count)
    {
        var values = new float[(long)count * Samples];
        ReadWaveforms(start, count, values);
        return values;
    }

    /// <summary>Fails with a clear message when truth is needed but absent.</summary>
    public void RequireTruth(string purpose)
    {
        if (!HasTruth) throw new InputException($"{Path}: {purpose} needs Monte-Carlo truth (electron_offsets and electron_* arrays), and this file has none");
    }

    private static double TriggerOffset(string? configJson)
    {
        if (configJson is null) return 0;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(configJson);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && doc.RootElement.TryGetProperty("trigger_offset_ns", out var v) && v.TryGetDouble(out double t) ? t : 0;
        }
        catch (System.Text.Json.JsonException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The data on the model's sampling grid when --resample asks for it and the intervals differ (see
    /// <see cref="ResampledSource"/>); truth peak samples move to the new grid.
    /// </summary>
    private static WaveformDataset Resampled(WaveformDataset data, WaveformReadOptions options)
    {
        if (!options.Resample || options.ModelSamplingNs is not { } target || data.SamplingNs == target) return data;
        var source = new ResampledSource(data._source, target);
        return new WaveformDataset(source)
        {
            _owner = data,
            _truth = data._truth?.Resampled(data.SamplingNs, target, source.Samples),
            ConfigJson = data.ConfigJson,
            CrossingNs = data.CrossingNs,
        };
    }

    public void Dispose()
    {
        _source.Dispose();
        _owner?.Dispose();
    }
}
