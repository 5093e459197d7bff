namespace Peakformer.DriftChamber.Simulation;

/// <summary>What a simulation produced, printed at the end of <c>peakformer simulate</c>.</summary>
public sealed record SimulationSummary(long Events, double MeanClusters, double MeanElectrons, double MeanTrackLengthCm,
    double NoiseRms, double Seconds)
{
    public double EventsPerSecond => Events / Math.Max(1e-9, Seconds);
}
