namespace Peakformer.Vision.Data;

/// <summary>
/// Light, seeded augmentation of training images: a random shift of up to <see cref="MaxShift"/> pixels each way
/// (torchvision's RandomCrop with that zero padding: the uncovered border is black, 0 before normalisation) and,
/// only when <see cref="HorizontalFlip"/> is set, a mirror with probability 1/2 (clothes allow it, digits do not).
/// </summary>
public sealed record ImageAugmentation(int MaxShift = 0, bool HorizontalFlip = false)
{
    public static readonly ImageAugmentation None = new();

    /// <summary>Largest shift accepted (a quarter of a 256-pixel image).</summary>
    public const int MaxShiftLimit = 64;

    public bool Enabled => MaxShift > 0 || HorizontalFlip;

    public void Validate()
    {
        if (MaxShift is < 0 or > MaxShiftLimit)
            throw InputException.At(null, null, "augmentation shift", $"0 to {MaxShiftLimit} pixels", MaxShift.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
