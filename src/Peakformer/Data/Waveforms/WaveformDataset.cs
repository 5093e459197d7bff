using Peakformer.Engine.Tensors;
using Peakformer.Data.Npy;
using Peakformer.DriftChamber.Physics;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// A waveform dataset: the waveforms of any format <see cref="WaveformSources"/> reads (whole or in row ranges),
/// and from an .npz the truth arrays too, read eagerly (they are small). Files from other tools need only
/// "waveforms" (and "sampling_ns"); truth arrays are optional and <see cref="HasTruth"/> says whether they are there.
/// </summary>
public sealed class WaveformDataset : IWaveformSource
{
    private readonly IWaveformSource _source;
    private readonly IDisposable? _npz;

    private WaveformDataset(IWaveformSource source)
    {
        _source = source;
        Path = source.Path;
        Count = source.Count;
        Samples = source.Samples;
        SamplingNs = source.SamplingNs;
    }

    private WaveformDataset(NpzReader npz, WaveformReadOptions options) : this(NpyWaveformSource.FromNpz(npz, options))
    {
        _npz = npz;
        var names = options.Names;
        ConfigJson = npz.Contains("config") ? One(npz, "config").As<string>("config")[0] : null;
        CrossingNs = TriggerOffset(ConfigJson);
        HasTruth = npz.Contains(names["electron_offsets"]);
        if (!HasTruth) return;
        ElectronOffsets = Column(npz, names["electron_offsets"], (long)Count + 1).ToLongs("electron_offsets");
        if (ElectronOffsets.Length != Count + 1 || ElectronOffsets[0] != 0)
            throw new InputException($"{Path} [electron_offsets]: expected {Count + 1} non-decreasing offsets starting at 0, found {ElectronOffsets.Length} starting at {(ElectronOffsets.Length > 0 ? ElectronOffsets[0] : -1)}");
        for (int i = 0; i < Count; i++)
            if (ElectronOffsets[i + 1] < ElectronOffsets[i])
                throw new InputException($"{Path} [electron_offsets]: offsets decrease at index {i + 1} ({ElectronOffsets[i]} then {ElectronOffsets[i + 1]})");
        long electrons = ElectronOffsets[^1];
        if (electrons > int.MaxValue)
            throw InputException.At($"{Path} [electron_offsets]", null, $"index {Count}", $"at most {int.MaxValue} electrons", electrons.ToString());
        ElectronTimeNs = Column(npz, names["electron_time_ns"], electrons).ToDoubles("electron_time_ns");
        Check(ElectronTimeNs, "electron_time_ns", "a finite time in ns", double.IsFinite);
        string peakName = npz.Contains(names["electron_peak_sample"]) || names.Renamed("electron_peak_sample") ? names["electron_peak_sample"] : "electron_sample";
        ElectronPeakSample = Column(npz, peakName, electrons).ToLongs(peakName);
        int samples = Samples;
        Check(ElectronPeakSample, peakName, $"a sample index in [0, {samples})", s => s >= 0 && s < samples);
        ElectronCluster = Column(npz, names["electron_cluster"], electrons).ToLongs("electron_cluster");
        Check(ElectronCluster, "electron_cluster", "a cluster index of zero or more", c => c >= 0);
        ElectronTag = Column(npz, names["electron_tag"], electrons).ToLongs("electron_tag");
        HasParticles = npz.Contains(names["particle"]);
        Particle = HasParticles ? Column(npz, names["particle"], Count).ToLongs("particle") : new long[Count];
        Check(Particle, "particle", "a particle code 0 to 4 (pion, kaon, muon, proton, electron)", p => p is >= 0 and <= 4);
        MomentumGeV = Optional(npz, names["momentum_gev"]);
        BetaGamma = Optional(npz, names["beta_gamma"]);
        TrackLengthCm = Optional(npz, names["track_length_cm"]);
        Clusters = npz.Contains(names["n_clusters"]) ? Column(npz, names["n_clusters"], Count).ToLongs("n_clusters") : new long[Count];
        Check(Clusters, "n_clusters", "a cluster count of zero or more", n => n >= 0);
    }

    /// <summary>An array of one value (a 0-d array or a 1-element one), its size checked before it is read.</summary>
    private NpyArray One(NpzReader npz, string name)
    {
        long count = npz.Header(name).Count;
        if (count != 1) throw InputException.At($"{Path} [{name}]", null, "shape", "one value", $"{count} values");
        return npz.Read(name);
    }

    private void Check<T>(T[] values, string name, string expected, Func<T, bool> valid)
    {
        for (int i = 0; i < values.Length; i++)
            if (!valid(values[i]))
                throw InputException.At($"{Path} [{name}]", null, $"index {i}", expected, Convert.ToString(values[i], System.Globalization.CultureInfo.InvariantCulture) ?? "null");
    }

    private static string Show(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    public static WaveformDataset Open(string path) => Open(path, WaveformReadOptions.None);

    /// <summary>
    /// One .npz (waveforms and any truth), or any other format, list or pattern <see cref="WaveformSources"/> reads
    /// (waveforms only: no truth).
    /// </summary>
    public static WaveformDataset Open(string path, WaveformReadOptions options)
    {
        options.Validate();
        if (!WaveformSources.IsNpz(path))
            return new WaveformDataset(WaveformSources.Open(path, options));
        var npz = new NpzReader(path);
        try
        {
            return new WaveformDataset(npz, options);
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
    public string? ConfigJson { get; }
    public bool HasTruth { get; }
    /// <summary>When the track crossed the cell (the generator's trigger_offset_ns; 0 for files without a config).</summary>
    public double CrossingNs { get; }

    public long[] ElectronOffsets { get; } = [];
    public double[] ElectronTimeNs { get; } = [];
    public long[] ElectronPeakSample { get; } = [];
    public long[] ElectronCluster { get; } = [];
    public long[] ElectronTag { get; } = [];
    public long[] Particle { get; } = [];
    /// <summary>Whether the file gives each waveform's particle (else <see cref="Particle"/> is all 0, pion, by default).</summary>
    public bool HasParticles { get; }
    public double[] MomentumGeV { get; } = [];
    public double[] BetaGamma { get; } = [];
    public double[] TrackLengthCm { get; } = [];
    public long[] Clusters { get; } = [];

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

    private static NpyArray Column(NpzReader npz, string name, long expected)
    {
        // The size is checked from the header, before the data is read: a header cannot make us read more than expected.
        if (!npz.Contains(name)) return npz.Require(name);
        long count = npz.Header(name).Count;
        if (count != expected) throw new InputException($"{npz.Path} [{name}]: expected {expected} values, found {count}");
        return npz.Read(name);
    }

    private double[] Optional(NpzReader npz, string name) => npz.Contains(name) ? Column(npz, name, Count).ToDoubles(name) : new double[Count];

    public void Dispose()
    {
        _source.Dispose();
        _npz?.Dispose();
    }
}
