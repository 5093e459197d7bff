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
            if (!(w > 0 && w <= 1e6)) throw new InputException($"--particle: expected a positive weight at most 1e6 for {Particles.Name(p)}, found {Finite.Describe(w)}");
        if (!(MomentumMinGeV > 0) || !(MomentumMaxGeV >= MomentumMinGeV))
            throw new InputException($"--momentum: expected a positive momentum (or range MIN:MAX with MIN <= MAX), found {MomentumMinGeV}:{MomentumMaxGeV}");
        foreach (var (p, _) in Mix) CheckMomentum(p, MomentumMinGeV, "--momentum");
        CheckMomentum(Mix[0].Particle, MomentumMaxGeV, "--momentum");
    }

    /// <summary>Highest momentum accepted (GeV/c): beyond it the cluster density is on its plateau anyway.</summary>
    public const double MaxMomentumGeV = 1e4;
    /// <summary>
    /// Lowest beta*gamma accepted: the first point of the cluster-density table (docs/SIMULATION.md, Delphes). Below
    /// it the density is extrapolated and grows without bound (a momentum of 1e-300 asks for ~1e300 clusters).
    /// </summary>
    public const double MinBetaGamma = 0.5;

    /// <summary>A momentum inside the table's range for this particle: beta*gamma >= 0.5 and p <= 1e4 GeV/c.</summary>
    public static void CheckMomentum(Particle particle, double momentumGeV, string option)
    {
        double min = MinBetaGamma * Particles.Mass(particle);
        if (!(momentumGeV >= min && momentumGeV <= MaxMomentumGeV))
            throw InputException.At(null, null, option,
                $"a momentum in [{Finite.Describe(min)}, {Finite.Describe(MaxMomentumGeV)}] GeV/c for a {Particles.Name(particle)} (beta*gamma at least {MinBetaGamma}, the cluster-density table's range)",
                Finite.Describe(momentumGeV));
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
