using System.Globalization;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Training;

/// <summary>
/// Noise augmentation of training waveforms (a domain-shift mitigation): a fraction of the training waveforms, drawn
/// once before windows are cut, get the simulator's shift knobs at random strengths: a gain uniform in
/// [GainMin, GainMax], extra white noise and pink noise (corner 1 MHz) of rms uniform in [0, max], and a sine baseline
/// drift (period 300 ns, random phase) of amplitude uniform in [0, max]. Waveform i draws from its own stream (seed
/// mixed with <see cref="Stream"/>, then with its index), so the draws do not depend on the split's order and are not
/// the streams the window balancing (seed, event) or the epoch shuffles (seed, epoch) draw from. Validation waveforms stay as they are.
/// Written as <c>fraction=0.5,white=0.02,pink=0.02,gain=0.8:1.2,drift=0.05</c>.
/// </summary>
public sealed record NoiseAugmentation
{
    public double Fraction { get; init; } = 0.5;
    public double WhiteRms { get; init; }
    public double PinkRms { get; init; }
    public double GainMin { get; init; } = 1;
    public double GainMax { get; init; } = 1;
    public double Drift { get; init; }
    public ulong Seed { get; init; }

    public const double PinkCornerMhz = 1, DriftPeriodNs = 300;

    /// <summary>The domain tag mixed into the seed ("augment"), so the same seed gives other draws here than elsewhere.</summary>
    public const ulong Stream = 0x6175676d656e74;

    public static NoiseAugmentation Parse(string text, ulong seed, string option = "--augment-noise")
    {
        var a = new NoiseAugmentation { Seed = seed };
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = item.IndexOf('=');
            string key = eq > 0 ? item[..eq] : item, value = eq > 0 ? item[(eq + 1)..] : "";
            double Number(string v) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d)
                ? d : throw new InputException($"{option}: {key}: expected a number, found '{v}'");
            a = key switch
            {
                "fraction" => a with { Fraction = Number(value) },
                "white" => a with { WhiteRms = Number(value) },
                "pink" => a with { PinkRms = Number(value) },
                "drift" => a with { Drift = Number(value) },
                "gain" when value.Split(':') is [var lo, var hi] => a with { GainMin = Number(lo), GainMax = Number(hi) },
                "gain" => a with { GainMin = Number(value), GainMax = Number(value) },
                _ => throw new InputException($"{option}: expected fraction, white, pink, gain or drift (KEY=VALUE, gain=MIN:MAX), found '{item}'"),
            };
        }
        a.Validate(option);
        return a;
    }

    public void Validate(string option = "--augment-noise")
    {
        if (!(Fraction is >= 0 and <= 1)) throw new InputException($"{option}: fraction: expected in [0, 1], found {Fraction}");
        if (!(WhiteRms is >= 0 and <= 1e6) || !(PinkRms is >= 0 and <= 1e6) || !(Drift is >= 0 and <= 1e6))
            throw new InputException($"{option}: white, pink, drift: expected in [0, 1e6], found {WhiteRms}, {PinkRms}, {Drift}");
        if (!(GainMin > 0 && GainMax >= GainMin && GainMax <= 1000)) throw new InputException($"{option}: gain: expected 0 < MIN <= MAX <= 1000, found {GainMin}:{GainMax}");
    }

    /// <summary>Augments the waveforms of the given events in place (row-major, one row per event).</summary>
    public void Apply(Span<float> waveforms, int samples, double samplingNs, IReadOnlyList<int> events)
    {
        var pink = PinkRms > 0 ? new PinkNoise(1, PinkCornerMhz, samplingNs) : null;
        var normals = new float[samples];
        var extra = new float[samples];
        var unit = new float[samples];
        for (int i = 0; i < events.Count; i++)
        {
            var rng = Rng.ForStream(Rng.Mix(Seed, Stream), (ulong)events[i]);
            if (rng.NextDouble() >= Fraction) continue;
            var w = waveforms.Slice(i * samples, samples);
            double gain = rng.Uniform(GainMin, GainMax), white = rng.Uniform(0, WhiteRms), pinkRms = rng.Uniform(0, PinkRms), drift = rng.Uniform(0, Drift);
            Array.Clear(extra);
            if (white > 0) rng.FillNormal(extra, (float)white);
            if (pink is not null)
            {
                // Unit-rms pink noise scaled to the drawn rms (one generator for every strength).
                Array.Clear(unit);
                pink.Add(unit, rng, normals);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(unit, (float)pinkRms, extra, extra);
            }
            if (drift > 0) BaselineDrift.Add(extra, drift, DriftPeriodNs, samplingNs, rng);
            for (int k = 0; k < samples; k++) w[k] = (float)(gain * w[k] + extra[k]); // baseline 0: the gain scales the signal and its noise
        }
    }
}
