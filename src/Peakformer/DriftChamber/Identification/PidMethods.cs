using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Checkpoints;

namespace Peakformer.DriftChamber.Identification;

/// <summary>
/// Turns the --methods of <c>peakformer pid</c> into counters: "truth" (the Monte-Carlo cluster count), "truth-peaks"
/// (truth electron peaks, clusterised), "deriv" / "d2" (tuned on --tune-data when given, else the published typical
/// thresholds) or explicit "deriv:N1,N2,N3,N4" / "d2:T1,T2", clusterised; a peak-model checkpoint, optionally at
/// another decision threshold ("model.safetensors@0.9"; its peaks clusterised) or a count-model checkpoint (count transformer on its own peak source, or one-step counter).
/// Peak sources are shared, so a peak model that is both a method and a count model's input runs once per batch.
/// </summary>
public sealed class PidMethods
{
    private readonly double _samplingNs, _s;
    private readonly string? _tuneData;
    private readonly int _tuneEvents;
    private readonly Dictionary<string, IPeakFinder> _tuned = [];
    private readonly PeakSources _sources;

    public PidMethods(double samplingNs, double clusterisationS, string? tuneDataPath, int tuneEvents)
    {
        (_samplingNs, _s, _tuneData, _tuneEvents) = (samplingNs, clusterisationS, tuneDataPath, tuneEvents);
        _sources = new PeakSources(samplingNs, Tuned, "--methods");
    }

    public ICounter Create(string spec)
    {
        var m = MethodSpec.Parse(spec, "--methods", MethodKind.Truth, MethodKind.TruthPeaks, MethodKind.Classical, MethodKind.Model);
        if (m.Kind == MethodKind.Truth) return new TruthCounter();
        if (m.Kind == MethodKind.TruthPeaks) return new ClusterCounter(_sources.Get("truth", 0), _s);
        if (m.Kind == MethodKind.Classical) return new ClusterCounter(_sources.Get(spec.Trim().ToLowerInvariant(), 0), _s);
        var (file, threshold) = (m.Path, m.Threshold);
        var (stored, _, _) = Checkpoint.ReadHeader(file);
        var kind = ModelKinds.All.Find(stored);
        if (kind is not null && DriftChamberModels.CountsClusters(kind))
            return threshold is null ? CheckSampling(ModelCounter.Load(file, _sources), file)
                : throw new InputException($"--methods: {file} is a count model, which takes no @threshold (found '{spec}')");
        if (kind is not null && DriftChamberModels.FindsPeaks(kind))
            return new ClusterCounter(_sources.Get(Path.GetFullPath(file) + spec[file.Length..], PeakSource.DefaultMinAmplitudeSigma), _s);
        throw new InputException($"{file}: a {stored} model, expected a peak model ({Names(DriftChamberModels.PeakKinds)}) or a count model ({Names(DriftChamberModels.CountKinds)})");
    }

    private static string Names(IEnumerable<Learning.Models.ModelKind> kinds) => string.Join(", ", kinds.Select(k => k.Name));

    private ModelCounter CheckSampling(ModelCounter counter, string path)
    {
        if (Math.Abs(counter.Info.SamplingNs - _samplingNs) > 1e-9)
            throw new InputException($"{path}: trained on waveforms sampled every {counter.Info.SamplingNs} ns, the simulated cells are sampled every {_samplingNs} ns");
        return counter;
    }

    private IPeakFinder Tuned(string name)
    {
        if (!_tuned.TryGetValue(name, out var finder))
            _tuned[name] = finder = ClassicalTuning.ForData(name, _tuneData, _tuneEvents, Physics.DriftChamberConstants.ToleranceSamples, _samplingNs).Finder;
        return finder;
    }
}
