using Peakformer.DriftChamber.Simulation;

namespace Peakformer.DriftChamber.Counting;

/// <summary>The least-squares line on the number of found peaks, fitted on the training set.</summary>
public sealed class PeakLineCounter(PeakSource source, LeastSquaresLine line) : ICounter
{
    public string Name => $"least squares on {source.Name} count";
    public string Kind => "baseline";
    public PeakSource Source => source;
    public string? ModelFile => source.ModelFile;
    public string Settings => $"N = {line.Intercept:F3} + {line.Slope:F4} x peaks";
    public double[] Count(WaveformBatch batch) => source.Find(batch).Select(p => line.At(p.Samples.Length)).ToArray();
}
