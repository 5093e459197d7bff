namespace Peakformer.DriftChamber.Identification;

/// <summary>Histograms of one method's track counts for both particles at one momentum (shared bin edges).</summary>
public sealed record PidDistribution(string Method, double MomentumGeV, double[] Edges, long[] CountsA, long[] CountsB);
