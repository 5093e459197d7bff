using Peakformer.DriftChamber.Models;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// k-nearest neighbours over stored training spectra: <see cref="K"/> neighbours (default 5, scikit-learn's), spectra
/// of <see cref="Length"/> points, <see cref="Classes"/> classes and <see cref="Examples"/> stored spectra (the
/// training side of the split).
/// </summary>
public sealed record NearestNeighboursConfig
{
    public int K { get; init; } = 5;
    public int Length { get; init; } = 1000;
    public int Classes { get; init; } = 12;
    public int Examples { get; init; } = 1;

    /// <summary>Stored values at most (1 GiB of float32), as a simulated set.</summary>
    public const long MaxValues = 1L << 28;

    public void Validate()
    {
        ConfigLimits.Whole("length", Length, 1, SpectralGrid.MaxPoints);
        ConfigLimits.Whole("classes", Classes, 2, SpectrumTransformerConfig.MaxClasses);
        ConfigLimits.Whole("examples", Examples, 1, int.MaxValue);
        ConfigLimits.Whole("k", K, 1, Examples);
        if ((long)Examples * Length > MaxValues)
            throw new ArgumentException($"examples x length: expected at most {MaxValues} stored values, found {(long)Examples * Length}");
    }
}
