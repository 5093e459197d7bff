using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Simulation;
using Peakformer.DriftChamber.Windows;
using Peakformer.Learning.Models;

namespace Peakformer.DriftChamber.Counting;

/// <summary>
/// Where the peaks of a waveform come from for counting: Monte-Carlo truth (every electron's pulse peak), a classical
/// finder, or a trained peak model at its threshold. Model candidates are pre-cut on amplitude (a candidate whose
/// sample is less than <see cref="MinAmplitudeSigma"/> noise rms above the baseline is not scored), which skips the
/// signal-free stretches of a waveform.
/// </summary>
public sealed class PeakSource
{
    private readonly IPeakFinder? _classical;
    private readonly ModelScorer? _model;
    private readonly double _threshold;
    private WaveformBatch? _lastBatch;
    private FoundPeaks[] _lastPeaks = [];

    private PeakSource(string name, string spec, IPeakFinder? classical, ModelScorer? model, double threshold)
    {
        (Name, Spec, _classical, _model, _threshold) = (name, spec, classical, model, threshold);
    }

    /// <summary>For people: "truth peaks", "DERIV", "window transformer".</summary>
    public string Name { get; }
    /// <summary>How it was specified ("truth", "deriv", "d2" or a checkpoint path).</summary>
    public string Spec { get; }
    public double MinAmplitudeSigma { get; private init; } = DefaultMinAmplitudeSigma;
    public const double DefaultMinAmplitudeSigma = 3;
    /// <summary>The classical finder's settings, empty otherwise.</summary>
    public string Settings => _classical is null ? _model is null ? "" : $"threshold {_threshold:G3}" : ClassicalTuning.Describe(_classical);

    public static PeakSource Truth() => new("truth peaks", "truth", null, null, 0);

    public bool IsClassical => _classical is not null;

    public static PeakSource Classical(IPeakFinder finder) => new(finder.Name, ClassicalTuning.Spec(finder), finder, null, 0);

    /// <summary>A peak model at its own decision threshold, or at <paramref name="threshold"/> (named in the source's name).</summary>
    public static PeakSource Model(string checkpoint, double? threshold = null, double minAmplitudeSigma = DefaultMinAmplitudeSigma)
    {
        if (!File.Exists(checkpoint)) throw new InputException($"{checkpoint}: model file not found");
        var (tensors, metadata, sha256) = Engine.Checkpoints.SafeTensorsFile.ReadHashed(checkpoint);
        var (model, info) = PeakCheckpoint.Load(checkpoint, tensors, metadata);
        return Model(new CarriedPeakModel(model, info, sha256), checkpoint, threshold, minAmplitudeSigma);
    }

    /// <summary>A peak model already loaded (one a count checkpoint carries); <paramref name="file"/> is where it came from.</summary>
    public static PeakSource Model(CarriedPeakModel peakModel, string file, double? threshold = null, double minAmplitudeSigma = DefaultMinAmplitudeSigma)
    {
        var (model, info, hash) = peakModel;
        var scorer = new ModelScorer(model, info);
        if (threshold is not { } t || t == info.Threshold)
            return new PeakSource(scorer.Name, file, null, scorer, info.Threshold) { MinAmplitudeSigma = minAmplitudeSigma, Carried = peakModel, ModelFile = file };
        string at = t.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
        return new PeakSource($"{scorer.Name} at {at}", $"{file}@{at}", null, scorer, t) { MinAmplitudeSigma = minAmplitudeSigma, Carried = peakModel, ModelFile = file };
    }

    /// <summary>The peak model of a model source, with the hash of its file (what a count checkpoint carries); null otherwise.</summary>
    public CarriedPeakModel? Carried { get; private init; }
    /// <summary>The checkpoint of a model source, as given or as a count checkpoint names it; null otherwise.</summary>
    public string? ModelFile { get; private init; }
    /// <summary>The decision threshold of a model source.</summary>
    public double Threshold => _threshold;

    /// <summary>
    /// A <see cref="MethodSpec"/> of truth, a classical finder ("deriv", "d2": the tuned finder when
    /// <paramref name="tuned"/> gives one, else the published typical thresholds; or explicit thresholds) or a peak
    /// model, optionally "@threshold".
    /// </summary>
    public static PeakSource Parse(string spec, double samplingNs, Func<string, IPeakFinder>? tuned = null, string option = "--peaks-from",
        double minAmplitudeSigma = DefaultMinAmplitudeSigma)
    {
        var m = MethodSpec.Parse(spec, option, MethodKind.Truth, MethodKind.Classical, MethodKind.Model);
        return m.Kind switch
        {
            MethodKind.Truth => Truth(),
            MethodKind.Classical when m.Thresholds is null => Classical(tuned?.Invoke(m.Finder) ?? ClassicalTuning.Typical(m.Finder, samplingNs)),
            MethodKind.Classical => Classical(ClassicalTuning.Create(m, samplingNs)),
            _ => Model(m.Path, m.Threshold, minAmplitudeSigma),
        };
    }

    /// <summary>The peaks of every waveform of the batch (remembered for the latest batch, which counters share).</summary>
    public FoundPeaks[] Find(WaveformBatch batch)
    {
        if (!ReferenceEquals(batch, _lastBatch))
        {
            _lastPeaks = FindNew(batch);
            _lastBatch = batch;
        }
        return _lastPeaks;
    }

    private FoundPeaks[] FindNew(WaveformBatch batch)
    {
        int count = batch.Count, samples = batch.Samples;
        var result = new FoundPeaks[count];
        if (_classical is null && _model is null)
        {
            var truth = batch.TruthPeaks ?? throw new InputException("truth peaks need Monte-Carlo truth, and these waveforms have none");
            for (int i = 0; i < count; i++) result[i] = new FoundPeaks(truth[i], Ones(truth[i].Length));
            return result;
        }
        if (_classical is not null)
        {
            var found = _classical.Find(batch.Waveforms, count, samples);
            for (int i = 0; i < count; i++) result[i] = new FoundPeaks(found[i], Ones(found[i].Length));
            return result;
        }
        var candidates = CandidateFinder.Find(batch.Waveforms, count, samples, _model!.Info.Windows);
        int quiet = Noise.Samples(batch.SamplingNs);
        for (int i = 0; i < count; i++)
        {
            var w = batch.Waveform(i);
            var (baseline, rms) = Noise.Estimate(w, quiet);
            double cut = MinAmplitudeSigma > 0 ? baseline + MinAmplitudeSigma * rms : double.NegativeInfinity;
            var kept = new List<int>(candidates[i].Length);
            foreach (int t in candidates[i]) if (w[t] > cut) kept.Add(t);
            candidates[i] = kept.ToArray();
        }
        var (scored, _) = _model.Score(batch.Waveforms, count, samples, candidates);
        for (int i = 0; i < count; i++)
        {
            var s = scored[i];
            var keep = Enumerable.Range(0, s.Samples.Length).Where(k => s.Scores[k] >= _threshold).ToArray();
            result[i] = new FoundPeaks(keep.Select(k => s.Samples[k]).ToArray(), keep.Select(k => s.Scores[k]).ToArray());
        }
        return result;
    }

    private static float[] Ones(int n)
    {
        var ones = new float[n];
        Array.Fill(ones, 1f);
        return ones;
    }
}
