using Peakformer.DriftChamber.Physics;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>One simulated waveform's truth (the samples themselves live in the caller's buffer). Reused between events.</summary>
public sealed class SimulatedEvent
{
    public Particle Particle { get; internal set; }
    public double MomentumGeV { get; internal set; }
    public double BetaGamma { get; internal set; }
    public double TrackLengthCm { get; internal set; }
    public double ImpactParameterCm { get; internal set; }
    public double DipAngleRad { get; internal set; }
    /// <summary>Primary clusters with at least one electron inside the record.</summary>
    public int Clusters { get; internal set; }
    public float NoiseRms { get; internal set; }
    /// <summary>Seed of this event's own random stream (the run seed and event index mixed).</summary>
    public ulong Seed { get; internal set; }

    /// <summary>Electrons inside the record, sorted by arrival time.</summary>
    public List<ElectronTruth> Electrons { get; } = [];
}
