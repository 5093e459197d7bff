namespace Peakformer.DriftChamber.Simulation;

/// <summary>Receives simulated events in order, one chunk at a time (waveforms row-major, count x samples).</summary>
public interface IEventSink
{
    void Accept(ReadOnlySpan<float> waveforms, IReadOnlyList<SimulatedEvent> events);
}
