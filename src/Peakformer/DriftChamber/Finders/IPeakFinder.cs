namespace Peakformer.DriftChamber.Finders;

/// <summary>Finds peaks in whole waveforms: for each waveform, the sample indices of the peaks, ascending.</summary>
public interface IPeakFinder
{
    string Name { get; }
    /// <summary>waveforms is count x samples, row-major.</summary>
    IReadOnlyList<int[]> Find(ReadOnlySpan<float> waveforms, int count, int samples);
}
