namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// A method's separation relative to a reference method, S / S_reference - 1 at each momentum and on average:
/// ML against the derivative finders, truth counting against the ideal Poisson expectation.
/// </summary>
public sealed record PidComparison(string Method, string Reference, double[] GainByMomentum, double MeanGain);
