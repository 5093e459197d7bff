using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Windows;
using Peakformer.Learning.Metrics;
using Peakformer.Learning.Models;
using Peakformer.Progress;

namespace Peakformer.Evaluation;

/// <summary>
/// Compares peak finders on waveforms with Monte-Carlo truth: the classical finders (thresholds tuned on training
/// waveforms), window models scoring every candidate, and the per-bin model. Window-level figures use all candidate
/// windows (not balanced); peak-level figures match peaks to every truth electron one to one within the tolerance.
/// </summary>
public static class PeakEvaluation
{
    public static EvaluationResult Run(EvaluationSettings s, IProgressReporter progress)
    {
        s.Validate();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // A spec MODEL@0.9 is that checkpoint at that threshold (over --threshold and the checkpoint's own).
        var specs = s.ModelPaths.Select(p => DriftChamber.Finders.MethodSpec.SplitThreshold(p, "--models")).ToList();
        var models = s.ModelPaths.Select((p, i) => (Path: p, Checkpoint: PeakCheckpoint.Load(specs[i].Path))).ToList();
        // --resample resamples to the (first) model's sampling interval.
        using var data = WaveformDataset.Open(s.DataPath, models.Count > 0 ? s.Read.ForModel(models[0].Checkpoint.Info.SamplingNs) : s.Read);
        foreach (string note in data.Notes) progress.Note(note);
        data.RequireTruth("evaluate");
        int count = s.Events > 0 ? Math.Min(s.Events, data.Count) : data.Count;
        int samples = data.Samples;
        var waveforms = data.ReadWaveforms(0, count);
        var truth = Enumerable.Range(0, count).Select(data.TruthPeaks).ToArray();
        // Codes into Particles.Names, or null when the file does not say.
        int[]? particles = data.HasParticles ? data.Particle.Take(count).Select(p => (int)p).ToArray() : null;
        var windowOptions = models.Where(m => m.Checkpoint.Model.Task == PeakTask.Window).Select(m => m.Checkpoint.Info.Windows).FirstOrDefault() ?? new WindowOptions();
        foreach (var (path, (model, info)) in models)
            if (model.Task == PeakTask.Window && (info.Windows.Before != windowOptions.Before || info.Windows.After != windowOptions.After))
                throw new InputException($"{path}: windows t-{info.Windows.Before}..t+{info.Windows.After} differ from the other models' t-{windowOptions.Before}..t+{windowOptions.After}; evaluate them separately");
        var candidates = CandidateFinder.Find(waveforms, count, samples, windowOptions);
        var labels = new List<sbyte>();
        for (int w = 0; w < count; w++)
            foreach (int t in candidates[w]) labels.Add(WindowExtractor.Label(t, truth[w], s.ToleranceSamples));
        var result = new EvaluationResult
        {
            Data = s.DataPath,
            Waveforms = count,
            SamplingNs = data.SamplingNs,
            ToleranceSamples = s.ToleranceSamples,
            TuningData = s.Classical.Count > 0 ? s.TuneDataPath : null,
        };
        var examples = Enumerable.Range(0, Math.Min(s.ExampleWaveforms, count)).Select(e => new ExampleWaveform(e, [])).ToList();
        result.Examples.AddRange(examples);

        foreach (var name in s.Classical)
        {
            using var task = progress.Start($"{name.ToUpperInvariant()}: tuning and finding peaks", 2, "steps");
            if (s.TuneDataPath is null) progress.Note($"{name}: no tuning data, using the published typical thresholds");
            var (finder, scan) = ClassicalTuning.ForSpec(name, "--classical", s.TuneDataPath, s.TuneEvents, s.ToleranceSamples, data.SamplingNs);
            task.Advance(1);
            var found = finder.Find(waveforms, count, samples);
            result.Finders.Add(Metrics(finder.Name, "classical", ClassicalTuning.Describe(finder), null, truth, found, particles, s, data.SamplingNs) with { TuningScan = scan });
            foreach (var ex in examples) ex.Detections.Add((finder.Name, found[ex.Event]));
            task.Advance(1);
        }

        var scorers = models.Select(m => new ModelScorer(m.Checkpoint.Model, m.Checkpoint.Info, s.MinSeparation)).ToList();
        // Two models of one kind are told apart by their file names.
        var names = ModelLabels.Distinct(scorers.Select((scorer, i) => (scorer.Name, (string?)models[i].Path)).ToList());
        for (int m = 0; m < models.Count; m++)
        {
            var (path, (model, info)) = models[m];
            var scorer = scorers[m];
            string name = names[m];
            double threshold = specs[m].Threshold ?? s.Threshold ?? info.Threshold;
            ScoredPeaks[] scored;
            float[][] candidateScores;
            // A model trained on normalised waveforms sees them normalised here too, as in predict (said once). The
            // candidates stay the raw waveforms': normalising shifts and scales each waveform, which keeps its bumps.
            var normalisation = DriftChamber.Inputs.InputNormalisation.Decide(false, info.Input, path, progress);
            using (var task = progress.Start($"{name}: scoring {count:N0} waveforms", count, "waveforms"))
            {
                scored = new ScoredPeaks[count];
                candidateScores = new float[count][];
                const int chunk = 64;
                var normalised = normalisation is null ? null : new float[chunk * samples];
                for (int start = 0; start < count; start += chunk)
                {
                    int n = Math.Min(chunk, count - start);
                    var input = waveforms.AsSpan(start * samples, n * samples);
                    if (normalised is not null)
                    {
                        input.CopyTo(normalised);
                        input = normalised.AsSpan(0, n * samples);
                        normalisation!.Apply(input, samples, data.SamplingNs);
                    }
                    var (p, c) = scorer.Score(input, n, samples, candidates[start..(start + n)], start);
                    Array.Copy(p, 0, scored, start, n);
                    Array.Copy(c, 0, candidateScores, start, n);
                    task.Advance(n);
                }
            }
            if (normalisation?.FlatWarning($"{s.DataPath} ({name})", 64) is { } flat) progress.Note(flat);
            var found = scored.Select(p => p.Above(threshold)).ToArray();
            var curve = Curve(scored, truth, s);
            result.Finders.Add(Metrics(name, "model", path, threshold, truth, found, particles, s, data.SamplingNs) with { Curve = curve });
            result.WindowLevel.Add(WindowLevel(name, candidateScores.SelectMany(c => c).ToList(), labels, threshold));
            result.Training.Add(new ModelHistory(name, path, info.Data, info.BestEpoch, info.BestValidationAuc, info.History));
            foreach (var ex in examples) ex.Detections.Add((name, found[ex.Event]));
            foreach (var classical in result.Finders.Where(f => f.Kind == "classical"))
            {
                var best = curve.Where(c => c.Purity >= classical.Purity).MaxBy(c => c.Efficiency);
                result.EqualPurity.Add(new EqualPurityComparison(name, classical.Name, classical.Purity, classical.Efficiency,
                    best?.Efficiency, best?.Purity, best?.Threshold));
            }
        }
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    private static FinderMetrics Metrics(string name, string kind, string settings, double? threshold, IReadOnlyList<int[]> truth,
        IReadOnlyList<int[]> found, int[]? particles, EvaluationSettings s, double samplingNs)
    {
        var score = new PeakScore();
        for (int w = 0; w < truth.Count; w++) score.Add(truth[w], found[w], s.ToleranceSamples, samplingNs);
        double width = samplingNs;
        var edges = Enumerable.Range(0, 2 * s.ToleranceSamples + 2).Select(i => (i - s.ToleranceSamples - 0.5) * width).ToArray();
        var histogram = new long[edges.Length - 1];
        foreach (var r in score.ResidualsNs)
        {
            int bin = (int)Math.Floor((r - edges[0]) / width);
            if (bin >= 0 && bin < histogram.Length) histogram[bin]++;
        }
        return new FinderMetrics
        {
            Name = name,
            Kind = kind,
            Settings = settings,
            Threshold = threshold,
            Efficiency = score.Efficiency,
            Purity = score.Purity,
            F1 = score.F1,
            TruthPeaks = score.Truth,
            FoundPeaks = score.Found,
            Matched = score.Matched,
            ResidualMeanNs = score.ResidualMeanNs,
            ResidualRmsNs = score.ResidualRmsNs,
            EfficiencyByPileUp = Enumerable.Range(0, PeakScore.PileUpBins.Length).Select(score.EfficiencyInPileUpBin).ToArray(),
            TruthByPileUp = score.TruthByPileUp,
            MatchedByPileUp = score.MatchedByPileUp,
            ByParticle = particles is null ? [] : ByParticle(truth, found, particles, s.ToleranceSamples),
            ResidualHistogramEdgesNs = edges,
            ResidualHistogram = histogram,
        };
    }

    /// <summary>The peak figures of the waveforms of each particle type present, in code order.</summary>
    public static List<ParticlePeakMetrics> ByParticle(IReadOnlyList<int[]> truth, IReadOnlyList<int[]> found, int[] particles, int tolerance)
    {
        var rows = new List<ParticlePeakMetrics>();
        foreach (int p in particles.Distinct().Order())
        {
            var score = new PeakScore();
            int waveforms = 0;
            for (int w = 0; w < truth.Count; w++)
                if (particles[w] == p)
                {
                    score.Add(truth[w], found[w], tolerance, 1, keepResiduals: false);
                    waveforms++;
                }
            rows.Add(new ParticlePeakMetrics(DriftChamber.Physics.Particles.Names[p], waveforms, score.Efficiency, score.Purity, score.F1, score.Truth, score.Found, score.Matched));
        }
        return rows;
    }

    private static List<CurvePoint> Curve(ScoredPeaks[] scored, IReadOnlyList<int[]> truth, EvaluationSettings s)
    {
        var thresholds = new[] { 0.01, 0.02, 0.05 }.Concat(Enumerable.Range(1, 19).Select(i => i * 0.05)).Concat([0.97, 0.98, 0.99, 0.995]);
        var curve = new List<CurvePoint>();
        foreach (double t in thresholds)
        {
            var score = new PeakScore();
            for (int w = 0; w < scored.Length; w++) score.Add(truth[w], scored[w].Above(t), s.ToleranceSamples, 1, keepResiduals: false);
            if (score.Found > 0) curve.Add(new CurvePoint(t, score.Efficiency, score.Purity) { TruthPeaks = score.Truth, FoundPeaks = score.Found, Matched = score.Matched });
        }
        return curve;
    }

    private static WindowMetrics WindowLevel(string name, List<float> scores, List<sbyte> labels, double threshold)
    {
        var roc = RocCurve.Compute(scores, labels);
        var confusion = BinaryConfusion.At(scores, labels, threshold);
        var (fpr, tpr) = roc.Thin();
        return new WindowMetrics
        {
            Model = name,
            Windows = roc.Positives + roc.Negatives,
            Signal = roc.Positives,
            Auc = roc.Auc,
            TprAtFpr1e2 = roc.TruePositiveRateAt(1e-2),
            TprAtFpr1e3 = roc.TruePositiveRateAt(1e-3),
            Threshold = threshold,
            Accuracy = confusion.Accuracy,
            Precision = confusion.Precision,
            Recall = confusion.Recall,
            F1 = confusion.F1,
            Confusion = confusion,
            RocFpr = fpr,
            RocTpr = tpr,
        };
    }
}
