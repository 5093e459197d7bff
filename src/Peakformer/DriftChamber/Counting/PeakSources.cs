using Peakformer.DriftChamber.Finders;

namespace Peakformer.DriftChamber.Counting;

/// <summary>
/// The peak sources of one run, one per (spec, minimum amplitude), so that counters reading the same peaks (a peak
/// model clusterised and a count transformer trained on it) find them once per batch.
/// </summary>
/// <param name="tuned">Gives the tuned finder for "deriv" / "d2" (else the published typical thresholds).</param>
/// <param name="option">Names the source of a bad spec in errors; null names the spec itself.</param>
public sealed class PeakSources(double samplingNs, Func<string, IPeakFinder>? tuned = null, string? option = null)
{
    private readonly Dictionary<(string, double), PeakSource> _sources = [];

    public PeakSource Get(string spec, double minAmplitudeSigma)
    {
        var key = (spec, minAmplitudeSigma);
        if (!_sources.TryGetValue(key, out var source))
            _sources[key] = source = PeakSource.Parse(spec, samplingNs, tuned, option ?? spec, minAmplitudeSigma);
        return source;
    }
}
