namespace Peakformer.Spectroscopy.Simulation;

/// <summary>The profile a Raman band is broadened with; every profile has unit area and the band's FWHM.</summary>
public enum LineShape
{
    /// <summary>Normalised Gaussian (ters-ml-math-reference.md §1), the default.</summary>
    Gaussian,
    /// <summary>Normalised Lorentzian (Cauchy), half width at half maximum FWHM / 2.</summary>
    Lorentzian,
    /// <summary>eta * Lorentzian + (1 - eta) * Gaussian with the same FWHM.</summary>
    PseudoVoigt,
}
