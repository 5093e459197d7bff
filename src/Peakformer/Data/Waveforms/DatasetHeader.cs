namespace Peakformer.Data.Waveforms;

/// <summary>
/// What a waveform dataset file records about the run that made it: how many events of how many samples, the
/// sampling interval, the generator's config as JSON, the run seed, and the names of the particle codes.
/// </summary>
public sealed record DatasetHeader(long Events, int Samples, double SamplingNs, string ConfigJson, ulong Seed, IReadOnlyList<string> ParticleNames);
