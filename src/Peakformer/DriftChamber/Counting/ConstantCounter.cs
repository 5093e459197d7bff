using Peakformer.DriftChamber.Simulation;

namespace Peakformer.DriftChamber.Counting;

/// <summary>The constant-mean predictor: always the mean cluster count of the training set (the reference study's baseline).</summary>
public sealed class ConstantCounter(double mean) : ICounter
{
    public double Mean => mean;
    public string Name => "constant mean";
    public string Kind => "baseline";
    public string Settings => $"mean of the training counts, {mean:F3}";
    public double[] Count(WaveformBatch batch) => Enumerable.Repeat(mean, batch.Count).ToArray();
}
