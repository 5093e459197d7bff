using System.Globalization;
using Peakformer.Engine.Randomness;

namespace Peakformer.Spectroscopy.Simulation;

/// <summary>
/// Molecule-like band sets, one per class, drawn from a seed: a pool of bands shared between classes and a few bands
/// of each class's own. Each class takes <see cref="RamanSimulationSettings.SharedPerClass"/> bands of the pool
/// (with the pool's centre and width, and an intensity of its own), so classes overlap and differ in their own bands
/// and in the relative intensities of the shared ones.
/// </summary>
public static class BandLibrary
{
    /// <summary>Centres keep this fraction of the range from either end, so every band lies whole on the grid.</summary>
    private const double Margin = 0.05;

    public static ClassBands[] Generate(RamanSimulationSettings settings)
    {
        // A stream of its own, so the per-spectrum streams (1..N) never coincide with it.
        var rng = Rng.ForStream(settings.BandSeed ?? settings.Seed, 0);
        double lo = settings.MinShift + Margin * (settings.MaxShift - settings.MinShift);
        double hi = settings.MaxShift - Margin * (settings.MaxShift - settings.MinShift);
        var pool = new Band[settings.SharedPool];
        for (int j = 0; j < pool.Length; j++)
            pool[j] = new Band(rng.Uniform(lo, hi), 1, rng.Uniform(settings.FwhmMin, settings.FwhmMax));
        var classes = new ClassBands[settings.Classes];
        var order = new int[pool.Length];
        for (int c = 0; c < classes.Length; c++)
        {
            var bands = new List<Band>();
            for (int j = 0; j < order.Length; j++) order[j] = j;
            rng.Shuffle(order.AsSpan());
            foreach (int j in order.AsSpan(0, settings.SharedPerClass))
                bands.Add(pool[j] with { Intensity = rng.Uniform(0.2, 1) });
            for (int u = 0; u < settings.UniquePerClass; u++)
                bands.Add(new Band(rng.Uniform(lo, hi), rng.Uniform(0.2, 1), rng.Uniform(settings.FwhmMin, settings.FwhmMax)));
            bands.Sort((a, b) => a.Shift.CompareTo(b.Shift));
            classes[c] = new ClassBands($"class_{c.ToString("D2", CultureInfo.InvariantCulture)}", bands);
        }
        return classes;
    }
}
