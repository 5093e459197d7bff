using System.Runtime.InteropServices;
using Peakformer.Data.Npy;
using Peakformer.Engine.Files;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Writes simulated events as a NumPy .npz that a Python user reads with np.load alone:
/// waveforms float32 [N, L]; per-electron truth as flat arrays with electron_offsets int64 [N+1]
/// (electron_time_ns, electron_sample, electron_peak_sample, electron_cluster, electron_tag, electron_charge);
/// per-waveform particle (int32 codes, names in particle_names), momentum_gev, beta_gamma, track_length_cm,
/// impact_parameter_cm, dip_angle_rad, n_clusters, n_electrons, noise_rms, seed; sampling_ns; and the generator
/// config as JSON text. Waveforms stream into the archive; truth goes through temporary column files beside the
/// output, so memory stays bounded by one chunk. It knows the file format only: whoever makes the events (the
/// drift-chamber simulator's <c>DatasetWriter</c>) hands them over as <see cref="EventTruth"/> and electrons.
/// </summary>
public sealed class WaveformDatasetWriter : IDisposable
{
    private readonly NpzWriter _npz;
    private readonly NpzWriter.RowStream _waveforms;
    private readonly string _parts;
    private readonly DatasetHeader _header;
    private readonly Dictionary<string, (NpyType Type, FileStream File)> _columns = [];
    private long _events, _electrons;
    private int _eventElectrons;

    public static readonly IReadOnlyList<(string Name, NpyType Type)> ElectronColumns =
    [
        ("electron_time_ns", NpyType.Float32), ("electron_sample", NpyType.Int32), ("electron_peak_sample", NpyType.Int32),
        ("electron_cluster", NpyType.Int32), ("electron_tag", NpyType.UInt8), ("electron_charge", NpyType.Float32),
    ];

    public static readonly IReadOnlyList<(string Name, NpyType Type)> EventColumns =
    [
        ("particle", NpyType.Int32), ("momentum_gev", NpyType.Float64), ("beta_gamma", NpyType.Float64),
        ("track_length_cm", NpyType.Float64), ("impact_parameter_cm", NpyType.Float64), ("dip_angle_rad", NpyType.Float64),
        ("n_clusters", NpyType.Int32), ("n_electrons", NpyType.Int32), ("noise_rms", NpyType.Float32), ("seed", NpyType.Int64),
    ];

    public WaveformDatasetWriter(string path, DatasetHeader header)
    {
        _header = header;
        _npz = new NpzWriter(path);
        _parts = Scratch.Folder(path, "parts");
        try
        {
            foreach (var (name, type) in ElectronColumns.Concat(EventColumns).Append(("electron_offsets", NpyType.Int64)))
                _columns[name] = (type, new FileStream(Path.Combine(_parts, name), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16));
            _waveforms = _npz.Begin("waveforms", NpyType.Float32, header.Events, header.Samples);
            Write("electron_offsets", 0L);
        }
        catch
        {
            Dispose(); // no caller holds this writer yet to dispose it
            throw;
        }
    }

    /// <summary>Waveforms of the events that follow, row after row.</summary>
    public void AddWaveforms(ReadOnlySpan<float> waveforms) => _waveforms.Append(waveforms);

    /// <summary>One electron of the current event (call <see cref="EndEvent"/> after its last).</summary>
    public void AddElectron(float timeNs, int sample, int peakSample, int cluster, byte tag, float charge)
    {
        Write("electron_time_ns", timeNs);
        Write("electron_sample", sample);
        Write("electron_peak_sample", peakSample);
        Write("electron_cluster", cluster);
        Write("electron_tag", tag);
        Write("electron_charge", charge);
        _eventElectrons++;
    }

    /// <summary>Closes the current event: its electrons are the ones added since the previous event.</summary>
    public void EndEvent(in EventTruth e)
    {
        _electrons += _eventElectrons;
        Write("electron_offsets", _electrons);
        Write("particle", e.Particle);
        Write("momentum_gev", e.MomentumGeV);
        Write("beta_gamma", e.BetaGamma);
        Write("track_length_cm", e.TrackLengthCm);
        Write("impact_parameter_cm", e.ImpactParameterCm);
        Write("dip_angle_rad", e.DipAngleRad);
        Write("n_clusters", e.Clusters);
        Write("n_electrons", _eventElectrons);
        Write("noise_rms", e.NoiseRms);
        Write("seed", (long)e.Seed);
        _eventElectrons = 0;
        _events++;
    }

    private void Write<T>(string column, T value) where T : unmanaged =>
        _columns[column].File.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>Adds the truth and metadata arrays and moves the archive into place.</summary>
    public void Commit()
    {
        if (_events != _header.Events) throw new InvalidOperationException($"WaveformDatasetWriter: {_events} of {_header.Events} events received.");
        _waveforms.Complete();
        foreach (var (name, (type, file)) in _columns)
        {
            long count = name == "electron_offsets" ? _events + 1 : ElectronColumns.Any(c => c.Name == name) ? _electrons : _events;
            var stream = _npz.Begin(name, type, count);
            file.Position = 0;
            var buffer = new byte[1 << 16];
            int read;
            while ((read = file.Read(buffer)) > 0) stream.AppendBytes(buffer.AsSpan(0, read));
            stream.Complete();
        }
        _npz.Add("sampling_ns", NpyArray.Scalar(_header.SamplingNs));
        _npz.Add("config", NpyArray.Scalar(_header.ConfigJson));
        _npz.Add("particle_names", NpyArray.Of(_header.ParticleNames.ToArray()));
        _npz.Add("run_seed", NpyArray.Of(new[] { (long)_header.Seed }));
        _npz.Commit();
        Dispose();
    }

    public void Dispose()
    {
        // Disposing flushes, which fails on a full disk: the temporaries must go all the same.
        foreach (var (_, (_, file)) in _columns)
            try { file.Dispose(); } catch (IOException) { }
        _columns.Clear();
        Scratch.Discard(_parts);
        _npz.Dispose();
    }
}
