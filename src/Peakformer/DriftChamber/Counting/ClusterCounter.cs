using Peakformer.DriftChamber.Simulation;

namespace Peakformer.DriftChamber.Counting;

/// <summary>Found peaks grouped into clusters by <see cref="Clusterisation"/>: the published derivative-based way to count.</summary>
public sealed class ClusterCounter(PeakSource source, double s = Clusterisation.DefaultS) : ICounter
{
    public PeakSource Source => source;
    public string Name => $"{source.Name} + clusterisation";
    public string Kind => source.IsClassical ? "classical" : source.Spec == "truth" ? "truth" : "model";
    public string? ModelFile => source.ModelFile;
    public string Settings => $"{source.Settings}{(source.Settings.Length > 0 ? ", " : "")}s = {s} ns^1/2";

    public double[] Count(WaveformBatch batch)
    {
        var peaks = source.Find(batch);
        return peaks.Select(p => (double)Clusterisation.Count(p.Samples, batch.SamplingNs, batch.CrossingNs, s)).ToArray();
    }
}
