using Peakformer.Data.Waveforms;
using Peakformer.Learning.Splits;
using System.Text.Json.Nodes;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;
using Peakformer.Progress;
using Peakformer.Learning.Objectives;
using Peakformer.Learning.Training;

namespace Peakformer.DriftChamber.Training;

/// <summary>
/// Trains a cluster-count model on a simulated dataset: a seeded split by waveform, the count standardised with the
/// training split's mean and standard deviation, MSE loss, early stopping on validation MAE. The constant-mean and
/// least-squares baselines are fitted on the same training split and stored in the checkpoint.
/// </summary>
public static class CountTraining
{
    public static (TrainingResult Result, CountModelInfo? Info) Run(ModelKind kind, string? configJson, CountTrainingOptions o, TrainingSettings settings,
        string checkpoint, bool resume, IProgressReporter progress)
    {
        using var data = WaveformDataset.Open(o.DataPath, o.Read);
        foreach (string note in data.Notes) progress.Note(note);
        data.RequireTruth("cluster-count training");
        int total = o.MaxWaveforms > 0 ? Math.Min(o.MaxWaveforms, data.Count) : data.Count;
        var (trainEvents, validationEvents) = RandomSplit.Indices(total, settings.ValidationFraction, settings.Seed);
        var trainCounts = trainEvents.Select(e => (double)data.Clusters[e]).ToArray();
        double mean = trainCounts.Average();
        double scale = Math.Sqrt(trainCounts.Select(c => (c - mean) * (c - mean)).Average());
        if (!(scale > 0)) scale = 1;

        bool tokens = kind.Input == DriftChamberModels.FoundPeaks;
        var model = DriftChamberModels.CreateCounter(kind.Name, WithTarget(configJson, mean, scale, data.Samples, tokens), new Rng(settings.Seed), "--model-config");
        PeakSource? source = null;
        string peaksFrom = "";
        if (tokens)
        {
            if (string.IsNullOrWhiteSpace(o.PeaksFrom))
                throw new InputException($"--peaks-from: the {kind.DisplayName} reads found peaks; give truth, deriv, d2 or a peak-model checkpoint");
            source = PeakSource.Parse(o.PeaksFrom, data.SamplingNs, name =>
            {
                if (o.TuneDataPath is null) progress.Note($"{name}: no tuning data, using the published typical thresholds");
                return ClassicalTuning.ForData(name, o.TuneDataPath, 300, DriftChamber.Physics.DriftChamberConstants.ToleranceSamples, data.SamplingNs).Finder;
            }, minAmplitudeSigma: o.MinAmplitudeSigma);
            // Count training feeds the peak model raw waveforms; one trained on normalised waveforms would see
            // other amplitudes than it learnt on, and the count checkpoint would not say so.
            if (source.Carried?.Info.Input?.Normalised == true)
                throw new InputException($"--peaks-from {o.PeaksFrom}: this peak model was trained with --normalise, which count training does not apply yet; give a peak model trained without it");
            peaksFrom = source.IsClassical || source.Spec == "truth" ? source.Spec : StoredPath(checkpoint, source.Spec);
        }
        else if (!string.IsNullOrWhiteSpace(o.PeaksFrom))
            throw new InputException($"--peaks-from: the {kind.DisplayName} reads {kind.Input} itself, not found peaks; leave --peaks-from out");

        var train = CountExamples.Build(data, trainEvents, source, mean, scale, progress);
        var validation = CountExamples.Build(data, validationEvents, source, mean, scale, progress);
        LeastSquaresLine? line = null;
        double? lineMae = null;
        if (train.PeakCounts is { } peaks)
        {
            line = LeastSquaresLine.Fit(peaks.Select(p => (double)p).ToArray(), trainCounts);
            lineMae = Enumerable.Range(0, validation.Count).Average(i => Math.Abs(line.At(validation.PeakCounts![i]) - validation.Clusters[i]));
        }
        double constantMae = validation.Clusters.Average(c => Math.Abs(mean - c));
        string description = $"{o.DataPath}: {train.Count} training and {validation.Count} validation waveforms, mean {mean:F2} clusters (sd {scale:F2})" +
            (source is null ? ", raw waveforms" : $", peaks from {source.Name}{(source.Settings.Length > 0 ? $" ({source.Settings})" : "")}");
        progress.Note(description);
        progress.Note($"validation baselines: constant mean MAE {constantMae:F3}" + (line is null ? "" : $", least squares on peaks MAE {lineMae:F3} (N = {line.Intercept:F2} + {line.Slope:F3} x peaks)"));

        var input = Inputs.InputStatistics.Measure(data);
        CountModelInfo? saved = null;
        var objective = new RegressionObjective(mean, scale);
        var result = Trainer.Train(model, objective, train, validation, settings, progress, best =>
        {
            saved = new CountModelInfo
            {
                PeaksFrom = peaksFrom,
                MinAmplitudeSigma = o.MinAmplitudeSigma,
                SamplingNs = data.SamplingNs,
                Data = description,
                Input = input,
                TrainingMean = mean,
                PeakLine = line,
                Settings = settings,
                History = best.History.ToList(),
                BestEpoch = best.BestEpoch,
                BestValidationMae = best.BestMetric,
                ValidationMaeConstantMean = constantMae,
                ValidationMaePeakLine = lineMae,
            };
            // The peak model travels inside the count checkpoint, so the checkpoint works wherever it is copied.
            CountCheckpoint.Save(checkpoint, model, saved, source?.Carried);
        }, checkpoint, resume, label: kind.Name);
        if (saved is null && result.Saved) saved = CountCheckpoint.Load(checkpoint).Info;
        return (result, saved);
    }

    /// <summary>The user's model config with the target standardisation (and waveform length) of this training set.</summary>
    private static string WithTarget(string? configJson, double mean, double scale, int samples, bool tokens)
    {
        JsonObject config;
        try
        {
            config = string.IsNullOrWhiteSpace(configJson) ? [] : JsonNode.Parse(configJson) as JsonObject
                ?? throw new InputException($"--model-config: expected a JSON object, found '{configJson}'");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InputException($"--model-config: invalid JSON: {e.Message.Split('.')[0]}");
        }
        config["target_mean"] = mean;
        config["target_scale"] = scale;
        if (!tokens) config["samples"] = samples;
        return config.ToJsonString();
    }

    /// <summary>The peak model's path relative to the count checkpoint's folder, so the pair can move together.</summary>
    private static string StoredPath(string checkpoint, string peakModel)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(checkpoint)) ?? ".";
        string relative = Path.GetRelativePath(folder, Path.GetFullPath(peakModel));
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(peakModel) : relative;
    }
}
