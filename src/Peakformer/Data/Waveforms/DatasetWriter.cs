using System.Runtime.InteropServices;
using Peakformer.Data.Npy;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Files;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Writes simulated events as a NumPy .npz that a Python user reads with np.load alone:
/// waveforms float32 [N, L]; per-electron truth as flat arrays with electron_offsets int64 [N+1]
/// (electron_time_ns, electron_sample, electron_peak_sample, electron_cluster, electron_tag, electron_charge);
/// per-waveform particle (int32 codes, names in particle_names), momentum_gev, beta_gamma, track_length_cm,
/// impact_parameter_cm, dip_angle_rad, n_clusters, n_electrons, noise_rms, seed; sampling_ns; and the generator
/// config as JSON text. Waveforms stream into the archive; truth goes through temporary column files beside the
/// output, so memory stays bounded by one chunk.
/// </summary>
public sealed class DatasetWriter : IEventSink, IDisposable
{
    private readonly NpzWriter _npz;
    private readonly NpzWriter.RowStream _waveforms;
    private readonly string _parts;
    private readonly SimulationRun _run;
    private readonly Dictionary<string, (NpyType Type, FileStream File)> _columns = [];
    private long _events, _electrons;

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

    public DatasetWriter(string path, SimulationRun run)
    {
        _run = run;
        _npz = new NpzWriter(path);
        _parts = Scratch.Folder(path, "parts");
        try
        {
            foreach (var (name, type) in ElectronColumns.Concat(EventColumns).Append(("electron_offsets", NpyType.Int64)))
                _columns[name] = (type, new FileStream(Path.Combine(_parts, name), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16));
            _waveforms = _npz.Begin("waveforms", NpyType.Float32, run.Events, run.Config.Samples);
            Write("electron_offsets", 0L);
        }
        catch
        {
            Dispose(); // no caller holds this writer yet to dispose it
            throw;
        }
    }

    public void Accept(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events)
    {
        _waveforms.Append(waveforms);
        foreach (var e in events)
        {
            foreach (var t in e.Electrons)
            {
                Write("electron_time_ns", t.TimeNs);
                Write("electron_sample", t.Sample);
                Write("electron_peak_sample", t.PeakSample);
                Write("electron_cluster", t.Cluster);
                Write("electron_tag", t.Tag);
                Write("electron_charge", t.Charge);
            }
            _electrons += e.Electrons.Count;
            Write("electron_offsets", _electrons);
            Write("particle", (int)e.Particle);
            Write("momentum_gev", e.MomentumGeV);
            Write("beta_gamma", e.BetaGamma);
            Write("track_length_cm", e.TrackLengthCm);
            Write("impact_parameter_cm", e.ImpactParameterCm);
            Write("dip_angle_rad", e.DipAngleRad);
            Write("n_clusters", e.Clusters);
            Write("n_electrons", e.Electrons.Count);
            Write("noise_rms", e.NoiseRms);
            Write("seed", (long)e.Seed);
            _events++;
        }
    }

    private void Write<T>(string column, T value) where T : unmanaged =>
        _columns[column].File.Write(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value)));

    /// <summary>Adds the truth and metadata arrays and moves the archive into place.</summary>
    public void Commit()
    {
        if (_events != _run.Events) throw new InvalidOperationException($"DatasetWriter: {_events} of {_run.Events} events received.");
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
        _npz.Add("sampling_ns", NpyArray.Scalar(_run.Config.SamplingNs));
        _npz.Add("config", NpyArray.Scalar(_run.Config.ToJson()));
        _npz.Add("particle_names", NpyArray.Of(Particles.Names));
        _npz.Add("run_seed", NpyArray.Of(new[] { (long)_run.Seed }));
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
