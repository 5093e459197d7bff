using Peakformer.DriftChamber.Simulation;

namespace Peakformer.DriftChamber.Counting;

/// <summary>A way of counting the primary clusters of each waveform of a batch.</summary>
public interface ICounter
{
    /// <summary>For tables and legends, e.g. "DERIV + clusterisation".</summary>
    string Name { get; }
    /// <summary>"truth", "baseline", "classical" or "model".</summary>
    string Kind { get; }
    /// <summary>How it is set up (thresholds, the fitted line, the checkpoint).</summary>
    string Settings { get; }
    /// <summary>The checkpoint it runs, if any: two counters of one name in a report are told apart by it.</summary>
    string? ModelFile => null;
    double[] Count(WaveformBatch batch);
}
