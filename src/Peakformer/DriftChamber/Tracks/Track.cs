namespace Peakformer.DriftChamber.Tracks;

/// <summary>One track: the cluster count and path length in gas of each of its cells (in map order), and its momentum when known.</summary>
public sealed record Track(string Id, double[] Counts, double[] LengthsCm, double? MomentumGeV);
