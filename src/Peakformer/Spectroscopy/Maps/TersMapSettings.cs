namespace Peakformer.Spectroscopy.Maps;

/// <summary>
/// Everything that decides a simulated set of TERS-like maps (ters-ml-math-reference.md §2). A class is a molecule
/// seen through C band channels: its signature gives each channel's share of the local enhancement, so classes
/// differ in the ratios between channels, not in where the hotspots lie (drawn alike for every class).
/// </summary>
public sealed record TersMapSettings
{
    public int Maps { get; init; } = 2000;
    public int Classes { get; init; } = 4;
    /// <summary>Band channels C (3 as the ViT's input in §5).</summary>
    public int Channels { get; init; } = 3;
    public int Height { get; init; } = 32;
    public int Width { get; init; } = 32;
    public int HotspotsMin { get; init; } = 2;
    public int HotspotsMax { get; init; } = 6;
    /// <summary>Hotspot width sigma_j in pixels, drawn uniformly in [min, max].</summary>
    public double HotspotSigmaMin { get; init; } = 1.5;
    public double HotspotSigmaMax { get; init; } = 4;
    /// <summary>Hotspot amplitude A_j in [min, 1].</summary>
    public double AmplitudeMin { get; init; } = 0.3;
    /// <summary>Largest background b (drawn in [0, this] per map).</summary>
    public double Background { get; init; } = 0.1;
    /// <summary>Pixel noise sigma_n.</summary>
    public double Noise { get; init; } = 0.03;
    /// <summary>Class signatures: each channel's share drawn in [this, 1].</summary>
    public double SignatureMin { get; init; } = 0.4;
    /// <summary>Relative standard deviation of each channel's share per map.</summary>
    public double SignatureJitter { get; init; } = 0.05;
    public ulong Seed { get; init; } = 1;
    /// <summary>
    /// The hyperspectral variant: a class is a Raman class spectrum (the Raman simulator's band generator), each pixel's
    /// spectrum that spectrum scaled by the local enhancement, reduced to C channels (band intensities: the spectrum's
    /// mean over C equal windows of 200..2000 cm^-1). Written only when set.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Hyperspectral { get; init; }
    /// <summary>
    /// Seed of the class signatures when not <see cref="Seed"/>: a held-out set drawn with another seed and the
    /// training set's class seed has the same classes. Written only when given.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ulong? ClassSeed { get; init; }

    /// <summary>At most this many values in one set (1 GiB of float32).</summary>
    public const long MaxValues = 1L << 28;

    public long ValuesPerMap => (long)Channels * Height * Width;

    public void Validate(string where)
    {
        Finite.Count($"{where}: channels", Channels, 1, 64);
        Finite.Count($"{where}: height", Height, 2, 4096);
        Finite.Count($"{where}: width", Width, 2, 4096);
        Finite.Count($"{where}: maps", Maps, 1, MaxValues / ValuesPerMap);
        Finite.Count($"{where}: classes", Classes, 2, 10_000);
        Finite.Count($"{where}: hotspots_min", HotspotsMin, 1, 1000);
        Finite.Count($"{where}: hotspots_max", HotspotsMax, HotspotsMin, 1000);
        Finite.InRange($"{where}: hotspot_sigma_min", HotspotSigmaMin, 0.1, 4096);
        Finite.InRange($"{where}: hotspot_sigma_max", HotspotSigmaMax, HotspotSigmaMin, 4096);
        Finite.InRange($"{where}: amplitude_min", AmplitudeMin, 0, 1);
        Finite.InRange($"{where}: background", Background, 0, 1);
        Finite.InRange($"{where}: noise", Noise, 0, 10);
        Finite.InRange($"{where}: signature_min", SignatureMin, 0, 1);
        Finite.InRange($"{where}: signature_jitter", SignatureJitter, 0, 1);
    }
}
