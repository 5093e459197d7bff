using Peakformer.DriftChamber.Counting;

namespace Peakformer.Workflows;

/// <summary>One chunk of counted waveforms: rows [Start, Start + Count) of the data, each counter's counts, and the peaks the first counter counted (when asked).</summary>
public sealed record CountedChunk(int Start, int Count, double[][] Counts, FoundPeaks[]? Peaks);
