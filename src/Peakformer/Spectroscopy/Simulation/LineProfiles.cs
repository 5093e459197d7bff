namespace Peakformer.Spectroscopy.Simulation;

/// <summary>Unit-area band profiles evaluated at an offset from the band centre (cm^-1).</summary>
public static class LineProfiles
{
    /// <summary>FWHM = 2 sqrt(2 ln 2) sigma (ters-ml-math-reference.md §1).</summary>
    public static readonly double FwhmPerSigma = 2 * Math.Sqrt(2 * Math.Log(2));

    /// <summary>G_sigma(x) = exp(-x^2 / (2 sigma^2)) / (sigma sqrt(2 pi)) with sigma = fwhm / (2 sqrt(2 ln 2)) (§1).</summary>
    public static double Gaussian(double offset, double fwhm)
    {
        double sigma = fwhm / FwhmPerSigma;
        double z = offset / sigma;
        return Math.Exp(-0.5 * z * z) / (sigma * Math.Sqrt(2 * Math.PI));
    }

    /// <summary>L(x) = (gamma / pi) / (x^2 + gamma^2) with gamma = fwhm / 2.</summary>
    public static double Lorentzian(double offset, double fwhm)
    {
        double gamma = fwhm / 2;
        return gamma / Math.PI / (offset * offset + gamma * gamma);
    }

    /// <summary>The profile of <paramref name="shape"/>; <paramref name="eta"/> is the Lorentzian share of a pseudo-Voigt.</summary>
    public static double Evaluate(LineShape shape, double offset, double fwhm, double eta) => shape switch
    {
        LineShape.Gaussian => Gaussian(offset, fwhm),
        LineShape.Lorentzian => Lorentzian(offset, fwhm),
        LineShape.PseudoVoigt => eta * Lorentzian(offset, fwhm) + (1 - eta) * Gaussian(offset, fwhm),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };
}
