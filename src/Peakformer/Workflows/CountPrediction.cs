using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Inputs;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Checkpoints;
using Peakformer.Progress;

namespace Peakformer.Workflows;

/// <summary>
/// Cluster counts of waveforms without truth (detector data): a count model (count transformer, one-step counter) or a
/// classical finder's peaks clusterised, per waveform, with each row's file and event. The counting is the one the
/// truth path (<c>count</c>) evaluates: the same counters on the same batches.
/// </summary>
public static class CountPrediction
{
    /// <summary>Whether <paramref name="method"/> counts clusters: a count-model checkpoint or a classical finder spec (not a peak model).</summary>
    public static bool Counts(string method)
    {
        if (method.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            return File.Exists(method) && ModelKinds.All.Find(Checkpoint.ReadHeader(method).Kind) is { } kind && DriftChamberModels.CountsClusters(kind);
        string name = method.Trim().ToLowerInvariant();
        return MethodSpec.ClassicalFinders.Contains(name) || name.StartsWith("deriv:", StringComparison.Ordinal) || name.StartsWith("d2:", StringComparison.Ordinal);
    }

    /// <summary>The counter of a method: a count checkpoint as trained, or a classical finder (typical or explicit thresholds) clusterised.</summary>
    public static ICounter Counter(string method, double samplingNs, double s, string option = "--model")
    {
        if (method.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return ModelCounter.Load(method);
        MethodSpec.Parse(method, option, MethodKind.Classical); // only classical finders here: truth needs truth, peak models write peaks
        return new ClusterCounter(PeakSource.Parse(method, samplingNs, option: option), s);
    }

    /// <summary>
    /// The read options for data counted by these models: with --resample, the first model's sampling interval (a
    /// count model's, else a peak model's; a "@threshold" suffix allowed) is the grid the waveforms are resampled to.
    /// Without --resample, or with classical methods only, the options as given.
    /// </summary>
    public static WaveformReadOptions ForModels(WaveformReadOptions read, IEnumerable<string> countModels, IEnumerable<string> peakModels)
    {
        if (!read.Resample) return read;
        if (countModels.FirstOrDefault(m => m.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) is { } count)
            return read.ForModel(ModelCounter.Load(count).Info.SamplingNs);
        if (peakModels.FirstOrDefault() is { } peak)
            return read.ForModel(DriftChamber.Models.PeakCheckpoint.Load(MethodSpec.SplitThreshold(peak, "--peak-models").Path).Info.SamplingNs);
        return read;
    }

    /// <summary>
    /// <c>count</c> on data without truth: every method of the settings (count models, peak models and classical
    /// finders clusterised) counts each waveform, one column each; the baselines and truth peaks need truth and are left out.
    /// </summary>
    public static CountTableResult RunMethods(Evaluation.CountEvaluationSettings s, string output, IProgressReporter progress, Sharding.Shard? shard = null)
    {
        s.Validate();
        using var data = WaveformDataset.Open(s.DataPath, ForModels(s.Read, s.CountModels, s.PeakModels));
        foreach (string note in data.Notes) progress.Note(note);
        progress.Note($"{s.DataPath}: no Monte-Carlo truth: writing the count of every method per waveform (no errors, baselines or truth peaks)");
        var sources = new PeakSources(data.SamplingNs);
        var counters = new List<ICounter>();
        foreach (var spec in s.Classical)
            counters.Add(new ClusterCounter(PeakSource.Classical(ClassicalTuning.ForSpec(spec, "--classical", s.TrainDataPath, s.TuneEvents, DriftChamber.Physics.DriftChamberConstants.ToleranceSamples, data.SamplingNs).Finder), s.ClusterisationS));
        if (s.Normalise && s.Classical.Count > 0) progress.Note($"--normalise: {string.Join(", ", s.Classical)} count the waveforms as read (not models)");
        foreach (var path in s.PeakModels) counters.Add(NormalisedCounter.Wrap(new ClusterCounter(sources.Get(path, PeakSource.DefaultMinAmplitudeSigma), s.ClusterisationS), s.Normalise, progress));
        // DERIV's thresholds are multiples of each waveform's noise, but D2's T2 is an amplitude, and ADC counts or
        // negative pulses defeat both: such data is warned about as for a count model.
        if (s.Classical.Count > 0) CheckClassical(data, string.Join("/", s.Classical), progress);
        foreach (var path in s.CountModels)
        {
            var m = ModelCounter.Load(path, sources);
            var counter = NormalisedCounter.Wrap(m, s.Normalise, progress);
            InputCheck.Run(data, m.Info.Input, m.Info.SamplingNs, path, progress, counter is NormalisedCounter);
            counters.Add(counter);
        }
        if (counters.Count == 0) throw new InputException("count: no method that works without truth (give --models, --peak-models and/or --classical)");
        var labels = Learning.Models.ModelLabels.Distinct(counters.Select(c => (c.Name, c.ModelFile)).ToList());
        return CountTable.Write(data, counters, labels, output, null, progress, s.Events, shard);
    }

    public static CountTableResult Run(CountPredictionSettings s, IProgressReporter progress)
    {
        s.Validate();
        using var data = WaveformDataset.Open(s.DataPath, ForModels(s.Read, [s.Method], []));
        foreach (string note in data.Notes) progress.Note(note);
        var counter = CheckedCounter(data, s.Method, s.ClusterisationS, progress, normalise: s.Normalise);
        return CountTable.Write(data, [counter], ["n_clusters"], s.Output, s.PeaksOutput, progress, s.Events, s.Shard);
    }

    /// <summary>
    /// The counter of a method, with the data compared against what it expects (the checkpoint's training data, or the
    /// simulator's conventions for deriv/d2), normalised per waveform as <see cref="NormalisedCounter.Wrap"/> decides.
    /// <paramref name="normalise"/> (--normalise) with deriv/d2 is an error: they are not models.
    /// </summary>
    public static ICounter CheckedCounter(WaveformDataset data, string method, double s, IProgressReporter progress, string option = "--model", bool normalise = false)
    {
        var counter = Counter(method, data.SamplingNs, s, option);
        if (counter is ModelCounter m)
        {
            var wrapped = NormalisedCounter.Wrap(m, normalise, progress);
            InputCheck.Run(data, m.Info.Input, m.Info.SamplingNs, method, progress, wrapped is NormalisedCounter);
            return wrapped;
        }
        if (normalise)
            throw InputException.At(null, null, "--normalise", "a model checkpoint (deriv/d2 set their thresholds from each waveform's own noise)", method);
        CheckClassical(data, method, progress);
        return counter;
    }

    /// <summary>Classical thresholds are in the simulator's amplitude units at the data's own sampling: the data is compared with those.</summary>
    public static void CheckClassical(WaveformDataset data, string method, IProgressReporter progress)
    {
        foreach (string line in InputCheck.Compare(InputConventions.SimulatorDefaults(data.SamplingNs), InputStatistics.Measure(data), data.Path, method))
            progress.Note(line);
    }
}
