using Peakformer.DriftChamber.Simulation;

namespace Peakformer.DriftChamber.Counting;

/// <summary>The Monte-Carlo number of primary clusters: what every other counter tries to measure.</summary>
public sealed class TruthCounter : ICounter
{
    public string Name => "truth";
    public string Kind => "truth";
    public string Settings => "Monte-Carlo primary clusters";

    public double[] Count(WaveformBatch batch) =>
        (batch.Clusters ?? throw new InputException("counting truth clusters needs Monte-Carlo truth, and these waveforms have none"))
        .Select(c => (double)c).ToArray();
}
