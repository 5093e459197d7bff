namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// One method at one momentum: mean and spread of the track count for each particle (a, b in the order of
/// --particles), the separation S (null when neither count spreads), its bootstrap error, and the ideal Poisson S
/// for the same track length.
/// </summary>
public sealed record PidPoint(double MomentumGeV, double MeanA, double SigmaA, double MeanB, double SigmaB,
    double? Separation, double SeparationError, double IdealSeparation);
