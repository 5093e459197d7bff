namespace Peakformer.DriftChamber.Tracks;

/// <summary>The cluster count of one cell's waveform: the file and event it came from, as <c>predict</c> writes them.</summary>
public readonly record struct CellCount(string File, int Event, double Clusters);
