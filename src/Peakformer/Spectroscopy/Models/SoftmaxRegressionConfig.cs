using Peakformer.DriftChamber.Models;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Models;

/// <summary>Softmax (multinomial logistic) regression on spectra of <see cref="Length"/> points: one linear map to <see cref="Classes"/> logits.</summary>
public sealed record SoftmaxRegressionConfig
{
    public int Length { get; init; } = 1000;
    public int Classes { get; init; } = 12;

    public void Validate()
    {
        ConfigLimits.Whole("length", Length, 1, SpectralGrid.MaxPoints);
        ConfigLimits.Whole("classes", Classes, 2, SpectrumTransformerConfig.MaxClasses);
    }
}
