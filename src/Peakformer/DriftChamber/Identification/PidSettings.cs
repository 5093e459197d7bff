using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Simulation;

namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// What <c>peakformer pid</c> simulates and compares. A track crosses <see cref="Cells"/> drift cells; with the fcc
/// cell (mean path 1.08 cm per cell) the default 150 cells are about 1.6 m of gas, close to the 165 cm the ideal
/// separation table of docs/SIMULATION.md is computed for.
/// </summary>
public sealed record PidSettings
{
    public SimulationConfig Config { get; init; } = Presets.Get("fcc");
    public IReadOnlyList<Particle> Particles { get; init; } = [Particle.Pion, Particle.Kaon];
    public IReadOnlyList<double> MomentaGeV { get; init; } = [2, 5, 7.5, 10, 12.5, 15, 17.5, 20, 30, 50];
    /// <summary>Tracks per particle and momentum.</summary>
    public int Tracks { get; init; } = 2000;
    /// <summary>Cells crossed by each track.</summary>
    public int Cells { get; init; } = 150;
    /// <summary>Cells simulated per particle and momentum; tracks draw their cells from this pool.</summary>
    public int Pool { get; init; } = 4000;
    /// <summary>truth, truth-peaks, deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2, or peak- and count-model checkpoints.</summary>
    public IReadOnlyList<string> Methods { get; init; } = ["truth", "truth-peaks", "deriv", "d2"];
    /// <summary>Dataset the deriv/d2 thresholds are tuned on (default: the published typical thresholds).</summary>
    public string? TuneDataPath { get; init; }
    public int TuneEvents { get; init; } = 300;
    public double ClusterisationS { get; init; } = Clusterisation.DefaultS;
    /// <summary>Bootstrap replicas for the statistical error of the separation.</summary>
    public int Replicas { get; init; } = 20;
    /// <summary>The momentum whose track-count distributions are drawn (the nearest of <see cref="MomentaGeV"/>).</summary>
    public double ShowMomentumGeV { get; init; } = 5;
    public ulong Seed { get; init; } = 1;

    /// <summary>Fewer tracks than this give a standard deviation too rough to quote a separation with.</summary>
    public const int MinTracks = 10;

    public void Validate()
    {
        Config.Validate();
        if (Particles.Count != 2 || Particles[0] == Particles[1])
            throw new InputException($"--particles: expected two different particles, e.g. pion,kaon, found '{string.Join(",", Particles.Select(Physics.Particles.Name))}'");
        if (MomentaGeV.Count == 0) throw new InputException("--momenta: expected at least one momentum in GeV/c, found none");
        foreach (double p in MomentaGeV)
            foreach (var particle in Particles) BeamSpec.CheckMomentum(particle, p, "--momenta");
        if (MomentaGeV.Distinct().Count() != MomentaGeV.Count) throw new InputException($"--momenta: a momentum is listed twice ({string.Join(",", MomentaGeV)})");
        if (Tracks < MinTracks)
            throw new InputException($"--tracks: a separation needs the spread of at least {MinTracks} tracks per particle, found {Tracks}");
        Finite.Count("--tracks", Tracks, MinTracks, 1_000_000);
        Finite.Count("--cells", Cells, 1, 100_000);
        if (Pool < 100) throw new InputException($"--pool: expected at least 100 simulated cells per particle and momentum, found {Pool}");
        // Pool cells are simulated per particle and momentum: bound the work as well as each count.
        Finite.Count("--pool", Pool, 100, 10_000_000);
        if ((long)Pool * MomentaGeV.Count > 100_000_000)
            throw new InputException($"--pool: expected at most 100000000 simulated cells per particle in all (pool x momenta), found {Pool} x {MomentaGeV.Count}");
        if (Methods.Count == 0) throw new InputException("--methods: expected at least one counting method, found none");
        if (Methods.Distinct(StringComparer.OrdinalIgnoreCase).Count() != Methods.Count) throw new InputException($"--methods: a method is listed twice ({string.Join(",", Methods)})");
        Finite.Positive("--s", ClusterisationS, Clusterisation.MaxS);
        if (Replicas < 2) throw new InputException($"--replicas: expected at least 2 bootstrap replicas, found {Replicas}");
        Finite.Count("--replicas", Replicas, 2, 10_000);
        Finite.Positive("--show-momentum", ShowMomentumGeV, BeamSpec.MaxMomentumGeV);
        Finite.Count("--tune-events", TuneEvents, 1, 1_000_000);
        if (TuneDataPath is not null && !File.Exists(TuneDataPath)) throw new InputException($"{TuneDataPath}: file not found (--tune-data)");
    }
}
