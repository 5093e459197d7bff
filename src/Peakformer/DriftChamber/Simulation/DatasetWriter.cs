using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>
/// Writes a simulation run as a waveform dataset (.npz, see <see cref="WaveformDatasetWriter"/>): each simulated
/// event's truth mapped onto the dataset's columns, the particle as its code.
/// </summary>
public sealed class DatasetWriter(string path, SimulationRun run) : IEventSink, IDisposable
{
    private readonly WaveformDatasetWriter _writer = new(path,
        new DatasetHeader(run.Events, run.Config.Samples, run.Config.SamplingNs, run.Config.ToJson(), run.Seed, Particles.Names));

    public void Accept(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events)
    {
        _writer.AddWaveforms(waveforms);
        foreach (var e in events)
        {
            foreach (var t in e.Electrons) _writer.AddElectron(t.TimeNs, t.Sample, t.PeakSample, t.Cluster, t.Tag, t.Charge);
            _writer.EndEvent(new EventTruth((int)e.Particle, e.MomentumGeV, e.BetaGamma, e.TrackLengthCm, e.ImpactParameterCm, e.DipAngleRad,
                e.Clusters, e.NoiseRms, e.Seed));
        }
    }

    /// <summary>Adds the truth and metadata arrays and moves the archive into place.</summary>
    public void Commit() => _writer.Commit();

    public void Dispose() => _writer.Dispose();
}
