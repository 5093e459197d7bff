namespace Peakformer.DriftChamber.Physics;

/// <summary>The charged particles the simulator knows, with their integer codes in datasets.</summary>
public enum Particle
{
    Pion = 0,
    Kaon = 1,
    Muon = 2,
    Proton = 3,
    Electron = 4,
}

public static class Particles
{
    /// <summary>Masses in GeV/c^2 (PDG, as listed in docs/SIMULATION.md).</summary>
    public static double Mass(Particle p) => p switch
    {
        Particle.Pion => 0.139570,
        Particle.Kaon => 0.493677,
        Particle.Muon => 0.105658,
        Particle.Proton => 0.938272,
        Particle.Electron => 0.000511,
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    public static double BetaGamma(Particle p, double momentumGeV) => momentumGeV / Mass(p);

    /// <summary>Names indexed by code, as stored in a dataset's "particle_names".</summary>
    public static readonly string[] Names = ["pion", "kaon", "muon", "proton", "electron"];

    public static string Name(Particle p) => Names[(int)p];

    /// <summary>The particle of event <paramref name="e"/> of a dataset, which stores codes into <see cref="Names"/>.</summary>
    public static Particle Of(Data.Waveforms.WaveformDataset data, int e) => (Particle)data.Particle[e];

    public static Particle Parse(string text, string option)
    {
        int i = Array.IndexOf(Names, text.Trim().ToLowerInvariant());
        if (i < 0) throw new InputException($"{option}: expected one of {string.Join(", ", Names)}, found '{text}'");
        return (Particle)i;
    }
}
