using System.Globalization;
using System.Text.Json.Serialization;

namespace Peakformer.Vision.Data;

/// <summary>
/// Light, seeded augmentation of training images: a random shift of up to <see cref="MaxShift"/> pixels each way
/// (torchvision's RandomCrop with that zero padding: the uncovered border is black, 0 before normalisation) and,
/// only when <see cref="HorizontalFlip"/> is set, a mirror with probability 1/2 (clothes allow it, digits do not).
/// Maps (TERS, ters-ml-math-reference.md §2, §10) add a vertical flip with probability 1/2, a rotation by k * 90
/// degrees (k uniform in 0..3), a separable Gaussian blur of sigma_b uniform in [0, <see cref="Blur"/>] and pixel
/// noise clip(x + eps, 0, 1), eps ~ N(0, <see cref="Noise"/>^2); these are left out of the JSON while off, so an
/// image checkpoint's record is what it was.
/// </summary>
public sealed record ImageAugmentation(int MaxShift = 0, bool HorizontalFlip = false)
{
    public static readonly ImageAugmentation None = new();

    /// <summary>Largest shift accepted (a quarter of a 256-pixel image).</summary>
    public const int MaxShiftLimit = 64;
    /// <summary>Largest blur and noise sigma accepted (pixels; intensity on [0, 1]).</summary>
    public const double MaxBlur = 8, MaxNoise = 1;

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool VerticalFlip { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Rotate90 { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double Blur { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public double Noise { get; init; }

    /// <summary>Any of the map augmentations (drawn after the shift and mirror, so images draw as before).</summary>
    [JsonIgnore]
    public bool MapEnabled => VerticalFlip || Rotate90 || Blur > 0 || Noise > 0;
    public bool Enabled => MaxShift > 0 || HorizontalFlip || MapEnabled;

    public void Validate()
    {
        if (MaxShift is < 0 or > MaxShiftLimit)
            throw InputException.At(null, null, "augmentation shift", $"0 to {MaxShiftLimit} pixels", MaxShift.ToString(CultureInfo.InvariantCulture));
        Finite.InRange("augmentation blur", Blur, 0, MaxBlur);
        Finite.InRange("augmentation noise", Noise, 0, MaxNoise);
    }

    /// <summary>The map task's default: every flip, rot90, blur up to 1 pixel, noise 0.02.</summary>
    public static readonly ImageAugmentation MapDefault = new() { HorizontalFlip = true, VerticalFlip = true, Rotate90 = true, Blur = 1, Noise = 0.02 };

    /// <summary>
    /// "hflip,vflip,rot90,blur=1,noise=0.02,shift=2" (any subset; "none" for nothing) as an augmentation; an unknown
    /// or malformed item names <paramref name="where"/>.
    /// </summary>
    public static ImageAugmentation Parse(string text, string where)
    {
        var result = None;
        if (text.Trim() == "none") return result;
        foreach (string raw in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = raw.IndexOf('=');
            string key = eq < 0 ? raw : raw[..eq], value = eq < 0 ? "" : raw[(eq + 1)..];
            double Number() => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
                ? v : throw InputException.At(null, null, $"{where} {key}", "a number, e.g. blur=1", $"'{value}'");
            result = (key, eq < 0) switch
            {
                ("hflip", true) => result with { HorizontalFlip = true },
                ("vflip", true) => result with { VerticalFlip = true },
                ("rot90", true) => result with { Rotate90 = true },
                ("blur", false) => result with { Blur = Number() },
                ("noise", false) => result with { Noise = Number() },
                ("shift", false) => result with { MaxShift = int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int s) ? s : throw InputException.At(null, null, $"{where} shift", "a whole number of pixels", $"'{value}'") },
                _ => throw InputException.At(null, null, where, "none or items of hflip, vflip, rot90, blur=SIGMA, noise=SIGMA, shift=PIXELS", $"'{raw}'"),
            };
        }
        result.Validate();
        return result;
    }
}
