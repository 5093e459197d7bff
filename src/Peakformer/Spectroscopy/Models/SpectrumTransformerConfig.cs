using Peakformer.DriftChamber.Models;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// The spectrum transformer's shape: spectra of <see cref="Length"/> points cut into patches of
/// <see cref="PatchSize"/> samples (the last one zero-padded when the length is not a multiple), a class token and
/// learned positions, the ViT encoder, a linear head over <see cref="Classes"/>. Length and classes come from the
/// training data. Defaults: patches of 20 points (about 36 cm^-1 on the default 1000-point grid of 200..2000 cm^-1,
/// one to two band widths), width 64, MLP 128, 3 layers of 4 heads, dropout 0.1.
/// </summary>
public sealed record SpectrumTransformerConfig
{
    public int Length { get; init; } = 1000;
    public int PatchSize { get; init; } = 20;
    public int Layers { get; init; } = 3;
    public int Heads { get; init; } = 4;
    public int Model { get; init; } = 64;
    public int FeedForward { get; init; } = 128;
    /// <summary>After the position embedding, on each block's attention output and inside and after its MLP.</summary>
    public float Dropout { get; init; } = 0.1f;
    /// <summary>On the attention weights.</summary>
    public float AttentionDropout { get; init; }
    public int Classes { get; init; } = 12;

    /// <summary>Patches plus the class token; attention costs grow with its square.</summary>
    public const int MaxTokens = 4097;
    public const int MaxClasses = 10_000;

    /// <summary>Patches per spectrum (the tokens before the class token), the last one padded.</summary>
    public int Patches => (Length + PatchSize - 1) / PatchSize;

    public void Validate()
    {
        ConfigLimits.Whole("length", Length, 2, SpectralGrid.MaxPoints);
        ConfigLimits.Whole("patch_size", PatchSize, 1, Length);
        ConfigLimits.Whole("tokens (patches + 1)", Patches + 1, 2, MaxTokens);
        ConfigLimits.Whole("classes", Classes, 2, MaxClasses);
        long other = (long)PatchSize * Model + (long)(Patches + 1) * Model + (long)Model * Classes;
        ConfigLimits.Encoder(Model, Heads, Layers, FeedForward, other);
        ConfigLimits.Dropout("dropout", Dropout);
        ConfigLimits.Dropout("attention_dropout", AttentionDropout);
    }
}
