using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;

namespace Peakformer.DriftChamber.Counting;

/// <summary>
/// The peak sources of one run, one per (spec, minimum amplitude), so that counters reading the same peaks (a peak
/// model clusterised and a count transformer trained on it) find them once per batch. Peak models are told apart by
/// content, not by path: the model a count checkpoint carries and the same model given as a file share one source.
/// </summary>
/// <param name="tuned">Gives the tuned finder for "deriv" / "d2" (else the published typical thresholds).</param>
/// <param name="option">Names the source of a bad spec in errors; null names the spec itself.</param>
public sealed class PeakSources(double samplingNs, Func<string, IPeakFinder>? tuned = null, string? option = null)
{
    private readonly Dictionary<(string, double), PeakSource> _sources = [];
    private readonly Dictionary<(string ContentHash, double Threshold, double MinAmplitudeSigma), PeakSource> _models = [];

    public PeakSource Get(string spec, double minAmplitudeSigma)
    {
        var key = (spec, minAmplitudeSigma);
        if (!_sources.TryGetValue(key, out var source))
            _sources[key] = source = Shared(PeakSource.Parse(spec, samplingNs, tuned, option ?? spec, minAmplitudeSigma));
        return source;
    }

    /// <summary>The source of a peak model a count checkpoint carries (<paramref name="file"/>: where it came from), at <paramref name="threshold"/> when given.</summary>
    public PeakSource Get(CarriedPeakModel peakModel, string file, double? threshold, double minAmplitudeSigma) =>
        Shared(PeakSource.Model(peakModel, file, threshold, minAmplitudeSigma));

    /// <summary>The source already made for the same model content, threshold and amplitude cut, if any; else this one.</summary>
    private PeakSource Shared(PeakSource source)
    {
        if (source.Carried is not { } model) return source;
        var key = (model.ContentHash, source.Threshold, source.MinAmplitudeSigma);
        if (_models.TryGetValue(key, out var earlier)) return earlier;
        _models[key] = source;
        return source;
    }
}
