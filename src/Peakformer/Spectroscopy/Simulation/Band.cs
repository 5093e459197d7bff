namespace Peakformer.Spectroscopy.Simulation;

/// <summary>One Raman band (a stick nu_i, I_i of ters-ml-math-reference.md §1, with the width it is broadened to).</summary>
/// <param name="Shift">Band centre, cm^-1.</param>
/// <param name="Intensity">Integrated intensity (the area of the broadened band).</param>
/// <param name="Fwhm">Full width at half maximum, cm^-1.</param>
public readonly record struct Band(double Shift, double Intensity, double Fwhm);
