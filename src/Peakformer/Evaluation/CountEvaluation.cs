using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Learning.Metrics;
using Peakformer.Learning.Models;
using Peakformer.Progress;

namespace Peakformer.Evaluation;

/// <summary>
/// Compares ways of counting primary clusters on held-out waveforms with truth: the count models, the baselines
/// fitted on their training split (constant mean, least squares on the number of found peaks), and time-based
/// clusterisation of truth, classical and model peaks. MAE, MSE, bias and resolution overall and per momentum bin,
/// and every model's improvement over every baseline.
/// </summary>
public static class CountEvaluation
{
    /// <summary>Waveforms per chunk, here and in <c>CountTable</c> (counting without truth): both run the models on the same batches.</summary>
    public const int Chunk = 256;

    public static CountEvaluationResult Run(CountEvaluationSettings s, IProgressReporter progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = Analyse(Count(s, progress));
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>
    /// Counts the waveforms with every method beside their truth: all of them, or with <paramref name="shard"/> that
    /// shard's part, cut at whole chunks so every chunk is counted as in the single run.
    /// </summary>
    public static CountPools Count(CountEvaluationSettings s, IProgressReporter progress, Sharding.Shard? shard = null)
    {
        s.Validate();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var data = WaveformDataset.Open(s.DataPath, Workflows.CountPrediction.ForModels(s.Read, s.CountModels, s.PeakModels));
        foreach (string note in data.Notes) progress.Note(note);
        data.RequireTruth("count");
        int count = s.Events > 0 ? Math.Min(s.Events, data.Count) : data.Count;
        var (first, end) = Sharding.Shard.RangeOf(shard, count, Chunk);
        int part = (int)(end - first);

        var sources = new PeakSources(data.SamplingNs);

        var counters = new List<ICounter>();
        var models = s.CountModels.Select(p => ModelCounter.Load(p, sources)).ToList();
        double? trainingMean = models.Select(m => (double?)m.Info.TrainingMean).FirstOrDefault();
        if (trainingMean is null && s.TrainDataPath is not null)
            using (var train = WaveformDataset.Open(s.TrainDataPath))
            {
                train.RequireTruth("the constant-mean baseline");
                trainingMean = train.Clusters.Average(c => (double)c);
            }
        if (trainingMean is { } mean) counters.Add(new ConstantCounter(mean));
        else progress.Note("no count model or --train-data: the constant-mean baseline is left out");
        foreach (var m in models.Where(m => m.Info.PeakLine is not null && m.Source is not null))
            if (!counters.OfType<PeakLineCounter>().Any(c => c.Source == m.Source))
                counters.Add(new PeakLineCounter(m.Source!, m.Info.PeakLine!));
        if (s.TruthPeaks) counters.Add(new ClusterCounter(sources.Get("truth", 0), s.ClusterisationS));
        foreach (var name in s.Classical)
        {
            if (s.TrainDataPath is null) progress.Note($"{name}: no --train-data, using the published typical thresholds");
            var (finder, _) = ClassicalTuning.ForSpec(name, "--classical", s.TrainDataPath, s.TuneEvents, DriftChamber.Physics.DriftChamberConstants.ToleranceSamples, data.SamplingNs);
            counters.Add(new ClusterCounter(PeakSource.Classical(finder), s.ClusterisationS));
        }
        foreach (var path in s.PeakModels) counters.Add(new ClusterCounter(sources.Get(path, PeakSource.DefaultMinAmplitudeSigma), s.ClusterisationS));
        counters.AddRange(models);
        counters = counters.Select(c => NormalisedCounter.Wrap(c, s.Normalise, progress)).ToList();

        var truth = new double[part];
        var momentum = new double[part];
        var particle = new int[part];
        var predicted = counters.Select(_ => new double[part]).ToArray();
        using (var task = progress.Start($"counting clusters of {part:N0} waveforms with {counters.Count} methods", part, "waveforms"))
        {
            const int chunk = Chunk;
            for (int start = (int)first; start < end; start += chunk)
            {
                int n = Math.Min(chunk, (int)end - start), at = start - (int)first;
                var batch = WaveformBatch.Read(data, start, n);
                for (int i = 0; i < n; i++) (truth[at + i], momentum[at + i], particle[at + i]) = (batch.Clusters![i], batch.MomentumGeV[i], (int)batch.Particles[i]);
                for (int c = 0; c < counters.Count; c++) counters[c].Count(batch).CopyTo(predicted[c], at);
                task.Advance(n);
            }
        }
        foreach (var c in counters.OfType<NormalisedCounter>())
            if (c.Normalisation.FlatWarning($"{s.DataPath} ({c.Inner.Name})", Chunk) is { } warning) progress.Note(warning);

        var labels = ModelLabels.Distinct(counters.Select(c => (c.Name, c.ModelFile)).ToList());
        var plan = new CountPlan
        {
            Data = s.DataPath,
            Waveforms = count,
            ClusterisationS = s.ClusterisationS,
            TuningData = s.Classical.Count > 0 ? s.TrainDataPath : null,
            MomentumBins = s.MomentumBins,
            HasParticles = data.HasParticles,
            Methods = counters.Select((c, k) => new CountMethod(labels[k], c.Kind, c.Settings)).ToList(),
            Training = models.Select(m => new CountTrainingHistory(labels[counters.IndexOf(m)], m.Path, m.Info.Data, m.Info.BestEpoch, m.Info.BestValidationMae, m.Info.History)).ToList(),
            Seconds = clock.Elapsed.TotalSeconds,
        };
        return new CountPools(plan, (int)first, truth, momentum, particle, predicted);
    }

    /// <summary>The figures of whole pools (every waveform of the run): errors overall, per momentum bin and particle, and improvements.</summary>
    public static CountEvaluationResult Analyse(CountPools pools)
    {
        var (plan, truth, momentum) = (pools.Plan, pools.Truth, pools.MomentumGeV);
        if (pools.FirstWaveform != 0 || truth.Length != plan.Waveforms)
            throw new InvalidOperationException($"count: the analysis needs all {plan.Waveforms} waveforms, found {truth.Length} from {pools.FirstWaveform}");
        var bins = Bins(momentum, plan.MomentumBins);
        var methods = plan.Methods.Select((c, k) => Method(c, pools.Counts[k], truth, momentum, bins) with
        {
            ByParticle = plan.HasParticles ? ByParticle(pools.Counts[k], truth, pools.Particles) : [],
        }).ToList();
        var result = new CountEvaluationResult
        {
            Data = plan.Data,
            Waveforms = plan.Waveforms,
            MeanClusters = truth.Average(),
            ClusterisationS = plan.ClusterisationS,
            TuningData = plan.TuningData,
            MomentumBins = bins,
            Methods = methods,
            Training = plan.Training,
            Seconds = plan.Seconds,
        };
        foreach (var model in methods.Where(m => m.Kind == "model"))
            foreach (var baseline in methods.Where(m => m.Kind is "baseline" or "classical"))
                result.Improvements.Add(new CountImprovement(model.Name, baseline.Name,
                    RegressionMetrics.Improvement(baseline.Overall.Mae, model.Overall.Mae), RegressionMetrics.Improvement(baseline.Overall.Mse, model.Overall.Mse),
                    model.ByMomentum.Zip(baseline.ByMomentum, (m, b) => RegressionMetrics.Improvement(b.Mae, m.Mae)).ToArray()));
        return result;
    }

    /// <summary>Up to <paramref name="wanted"/> equal-width momentum bins over the data's range (one when all momenta are equal).</summary>
    public static List<MomentumBin> Bins(double[] momentum, int wanted)
    {
        double lo = momentum.Min(), hi = momentum.Max();
        int n = hi - lo > 1e-9 ? wanted : 1;
        var bins = new List<MomentumBin>();
        for (int b = 0; b < n; b++)
        {
            double a = lo + (hi - lo) * b / n, z = b == n - 1 ? hi : lo + (hi - lo) * (b + 1) / n;
            bins.Add(new MomentumBin(a, z, momentum.Count(p => InBin(p, a, z, b == n - 1))));
        }
        return bins;
    }

    /// <summary>The count errors on the waveforms of each particle type present (codes into Particles.Names), in code order.</summary>
    public static List<ParticleCount> ByParticle(double[] predicted, double[] truth, int[] particles) =>
        particles.Distinct().Order().Select(p =>
        {
            var index = Enumerable.Range(0, truth.Length).Where(i => particles[i] == p).ToArray();
            return new ParticleCount(DriftChamber.Physics.Particles.Names[p], index.Length,
                RegressionMetrics.Of(index.Select(i => predicted[i]).ToArray(), index.Select(i => truth[i]).ToArray()));
        }).ToList();

    private static bool InBin(double p, double lo, double hi, bool last) => p >= lo && (p < hi || (last && p <= hi));

    private static CountMethodResult Method(CountMethod counter, double[] predicted, double[] truth, double[] momentum, List<MomentumBin> bins)
    {
        var byMomentum = bins.Select((b, k) =>
        {
            var index = Enumerable.Range(0, truth.Length).Where(i => InBin(momentum[i], b.LowGeV, b.HighGeV, k == bins.Count - 1)).ToArray();
            return RegressionMetrics.Of(index.Select(i => predicted[i]).ToArray(), index.Select(i => truth[i]).ToArray());
        }).ToList();
        int from = (int)truth.Min(), to = (int)truth.Max();
        var response = new double[to - from + 1];
        for (int n = from; n <= to; n++)
        {
            var at = Enumerable.Range(0, truth.Length).Where(i => truth[i] == n).ToArray();
            response[n - from] = at.Length > 0 ? at.Average(i => predicted[i]) : double.NaN;
        }
        const int half = 15;
        var edges = Enumerable.Range(0, 2 * half + 2).Select(i => i - half - 0.5).ToArray();
        var histogram = new long[edges.Length - 1];
        for (int i = 0; i < truth.Length; i++)
        {
            int bin = (int)Math.Floor(predicted[i] - truth[i] - edges[0]);
            histogram[Math.Clamp(bin, 0, histogram.Length - 1)]++;
        }
        return new CountMethodResult
        {
            Name = counter.Name,
            Kind = counter.Kind,
            Settings = counter.Settings,
            Overall = RegressionMetrics.Of(predicted, truth),
            ByMomentum = byMomentum,
            ResponseFrom = from,
            Response = response,
            ResidualEdges = edges,
            ResidualHistogram = histogram,
        };
    }
}
