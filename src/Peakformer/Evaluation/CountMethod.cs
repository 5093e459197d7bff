namespace Peakformer.Evaluation;

/// <summary>A counting method as <c>count</c>'s report names it: its label, kind ("baseline", "classical", "truth", "model") and settings.</summary>
public sealed record CountMethod(string Name, string Kind, string Settings);
