using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Inputs;

/// <summary>
/// How <see cref="SpectrumSetReader"/> reads spectra: for a bare X .npy, where its labels and shift axis are (default:
/// found beside it by name); for a CSV, the label column; and the grid every spectrum is resampled onto (default: the
/// first spectrum's, when the spectra's grids differ).
/// </summary>
public sealed record SpectrumReadOptions
{
    public static readonly SpectrumReadOptions Default = new();

    /// <summary>Labels y [N] of an X .npy (integers, or float64 holding whole numbers).</summary>
    public string? Labels { get; init; }
    /// <summary>Shift axis [L] of an X .npy, cm^-1.</summary>
    public string? Wavenumbers { get; init; }
    /// <summary>Resample every spectrum onto this grid.</summary>
    public SpectralGrid? Grid { get; init; }
    /// <summary>The CSV column holding each row's class (names or class indices); the other columns are shifts.</summary>
    public string LabelColumn { get; init; } = "label";
    /// <summary>
    /// Spectra without labels are read too (predict): an X .npy with no labels given or beside it, a CSV without the
    /// label column. Such a set has every label 0 of one class "unlabelled" and <see cref="SpectrumSet.Labelled"/> false.
    /// </summary>
    public bool LabelsOptional { get; init; }

    public void Validate()
    {
        Grid?.Validate("--grid");
        if (string.IsNullOrWhiteSpace(LabelColumn)) throw InputException.At(null, null, "--label-column", "a column name", "an empty name");
    }
}
