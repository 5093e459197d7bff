using System.Globalization;

namespace Peakformer.Spectroscopy.Training;

/// <summary>
/// On-the-fly augmentation of training spectra (after preprocessing), each transform off at 0: mixup with a random
/// training partner (lambda ~ Beta(alpha, alpha), <see cref="Mixup"/> = alpha), a circular roll by s bins drawn
/// uniformly in [-<see cref="Roll"/>, <see cref="Roll"/>] (§10), intensity scaling by a factor in
/// [1 - <see cref="Scale"/>, 1 + <see cref="Scale"/>], a baseline offset in [-<see cref="Offset"/>, <see cref="Offset"/>]
/// and slope in [-<see cref="Slope"/>, <see cref="Slope"/>] (change across the spectrum), and additive Gaussian noise
/// of standard deviation <see cref="Noise"/> clipped to the spectrum's range (§10). Written as
/// <c>roll=5,noise=0.01,scale=0.1,offset=0.05,slope=0.05,mixup=0.2</c>.
/// </summary>
public sealed record SpectrumAugmentation
{
    public int Roll { get; init; }
    public double Noise { get; init; }
    public double Scale { get; init; }
    public double Offset { get; init; }
    public double Slope { get; init; }
    public double Mixup { get; init; }

    public static readonly SpectrumAugmentation None = new();

    public bool Enabled => Roll > 0 || Noise > 0 || Scale > 0 || Offset > 0 || Slope > 0 || Mixup > 0;

    public const string Keys = "roll, noise, scale, offset, slope, mixup";

    public void Validate(string where = "--augment")
    {
        Finite.Count($"{where} roll", Roll, 0, SpectrumTransform.MaxRoll);
        Finite.InRange($"{where} noise", Noise, 0, 10);
        Finite.InRange($"{where} scale", Scale, 0, 0.99);
        Finite.InRange($"{where} offset", Offset, 0, 10);
        Finite.InRange($"{where} slope", Slope, 0, 10);
        Finite.InRange($"{where} mixup", Mixup, 0, 100);
    }

    /// <summary>The augmentation of a <c>key=value,...</c> text (keys <see cref="Keys"/>); an empty text is none.</summary>
    public static SpectrumAugmentation Parse(string text, string where = "--augment")
    {
        var a = None;
        foreach (string item in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = item.IndexOf('=');
            string key = eq > 0 ? item[..eq].Trim() : item;
            string value = eq > 0 ? item[(eq + 1)..].Trim() : "";
            if (eq <= 0 || !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw InputException.At(null, null, where, $"KEY=NUMBER items separated by commas (keys {Keys})", $"'{item}'");
            a = key switch
            {
                "roll" when v == Math.Floor(v) && v is >= 0 and <= SpectrumTransform.MaxRoll => a with { Roll = (int)v },
                "roll" => throw InputException.At(null, null, $"{where} roll", $"a whole number of bins in [0, {SpectrumTransform.MaxRoll}]", value),
                "noise" => a with { Noise = v },
                "scale" => a with { Scale = v },
                "offset" => a with { Offset = v },
                "slope" => a with { Slope = v },
                "mixup" => a with { Mixup = v },
                _ => throw InputException.At(null, null, where, $"one of the keys {Keys}", $"'{key}'"),
            };
        }
        a.Validate(where);
        return a;
    }

    public override string ToString() => string.Join(",", new[]
    {
        Roll > 0 ? $"roll={Roll}" : null, Noise > 0 ? $"noise={G(Noise)}" : null, Scale > 0 ? $"scale={G(Scale)}" : null,
        Offset > 0 ? $"offset={G(Offset)}" : null, Slope > 0 ? $"slope={G(Slope)}" : null, Mixup > 0 ? $"mixup={G(Mixup)}" : null,
    }.Where(s => s is not null));

    private static string G(double v) => v.ToString("G", CultureInfo.InvariantCulture);
}
