namespace Peakformer.Learning.Metrics;

/// <summary>Precision, recall and F1 of one class against the rest, and its support (examples truly of the class).</summary>
public sealed record ClassMetrics(int Class, double Precision, double Recall, double F1, long Support);
