namespace Peakformer.DriftChamber.Counting;

/// <summary>The peaks found in one waveform (samples, ascending) with their scores (1 for finders without scores).</summary>
public sealed record FoundPeaks(int[] Samples, float[] Scores)
{
    public static readonly FoundPeaks None = new([], []);
}
