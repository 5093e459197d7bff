namespace Peakformer.Data.Waveforms;

/// <summary>One waveform's truth as a dataset stores it; <paramref name="Particle"/> is a code into the header's particle names.</summary>
public readonly record struct EventTruth(int Particle, double MomentumGeV, double BetaGamma, double TrackLengthCm, double ImpactParameterCm,
    double DipAngleRad, int Clusters, float NoiseRms, ulong Seed);
