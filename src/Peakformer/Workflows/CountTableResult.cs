namespace Peakformer.Workflows;

/// <summary>What a truth-free count wrote: waveforms, the mean count of each method, peaks written (with --peaks).</summary>
public sealed record CountTableResult(int Waveforms, IReadOnlyList<(string Method, double MeanCount)> Means, long Peaks);
