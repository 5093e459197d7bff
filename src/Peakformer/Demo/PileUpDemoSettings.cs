namespace Peakformer.Demo;

/// <summary>The small end-to-end training demo: a transformer tells one pulse from two piled-up pulses.</summary>
public sealed record PileUpDemoSettings
{
    public int TrainWindows { get; init; } = 6000;
    public int TestWindows { get; init; } = 2000;
    public int WindowLength { get; init; } = 32;
    public int Epochs { get; init; } = 6;
    public int Batch { get; init; } = 128;
    public float LearningRate { get; init; } = 1e-3f;
    public double NoiseRms { get; init; } = 0.05;
    public ulong Seed { get; init; } = 1;
}
