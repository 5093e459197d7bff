namespace Peakformer.Spectroscopy.Evaluation;

/// <summary>Precision, recall, F1 and support of one class (§9).</summary>
public sealed record SpectrumClassResult(int Class, string Name, double Precision, double Recall, double F1, long Support);
