namespace Peakformer.DriftChamber.Simulation;

/// <summary>
/// Monte-Carlo truth of one ionisation electron at the wire: arrival time (ns from the start of the record), the
/// sample it arrives in, the sample where its own pulse peaks, its cluster (numbered in order of first arrival),
/// tag 1 for the first electron to arrive from its cluster (the primary) and 2 for the others, and its charge
/// (gain relative to the mean).
/// </summary>
public readonly record struct ElectronTruth(float TimeNs, int Sample, int PeakSample, int Cluster, byte Tag, float Charge);
