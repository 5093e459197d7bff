using Peakformer.DriftChamber.Physics;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>What crosses the cells: a weighted particle mix and a momentum range (uniform), in GeV/c.</summary>
public sealed record BeamSpec(IReadOnlyList<(Particle Particle, double Weight)> Mix, double MomentumMinGeV, double MomentumMaxGeV)
{
    public static BeamSpec Single(Particle p, double momentumGeV) => new([(p, 1.0)], momentumGeV, momentumGeV);

    public void Validate()
    {
        if (Mix.Count == 0) throw new InputException("--particle: expected at least one particle, found none");
        foreach (var (p, w) in Mix)
            if (!(w > 0)) throw new InputException($"--particle: expected a positive weight for {Particles.Name(p)}, found {w}");
        if (!(MomentumMinGeV > 0) || !(MomentumMaxGeV >= MomentumMinGeV))
            throw new InputException($"--momentum: expected a positive momentum (or range MIN:MAX with MIN <= MAX), found {MomentumMinGeV}:{MomentumMaxGeV}");
    }

    public (Particle Particle, double MomentumGeV) Draw(Rng rng)
    {
        double total = Mix.Sum(m => m.Weight), u = rng.NextDouble() * total;
        var particle = Mix[^1].Particle;
        foreach (var (p, w) in Mix)
        {
            if (u < w) { particle = p; break; }
            u -= w;
        }
        double momentum = MomentumMinGeV == MomentumMaxGeV ? MomentumMinGeV : rng.Uniform(MomentumMinGeV, MomentumMaxGeV);
        return (particle, momentum);
    }

    /// <summary>Parses "pion" or "pion:0.7,kaon:0.3" and "5" or "2:20".</summary>
    public static BeamSpec Parse(string particles, string momentum)
    {
        var mix = new List<(Particle, double)>();
        foreach (var part in particles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bits = part.Split(':');
            double weight = 1;
            if (bits.Length > 2 || (bits.Length == 2 && !double.TryParse(bits[1], System.Globalization.CultureInfo.InvariantCulture, out weight)))
                throw new InputException($"--particle: expected NAME or NAME:WEIGHT, found '{part}'");
            mix.Add((Particles.Parse(bits[0], "--particle"), weight));
        }
        var range = momentum.Split(':');
        if (range.Length > 2 || !range.All(r => double.TryParse(r, System.Globalization.CultureInfo.InvariantCulture, out _)))
            throw new InputException($"--momentum: expected a number in GeV/c or MIN:MAX, found '{momentum}'");
        double lo = double.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
        double hi = range.Length == 2 ? double.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture) : lo;
        var spec = new BeamSpec(mix, lo, hi);
        spec.Validate();
        return spec;
    }
}
