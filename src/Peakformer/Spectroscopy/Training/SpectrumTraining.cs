using System.Text.Json;
using System.Text.Json.Nodes;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Metrics;
using Peakformer.Learning.Models;
using Peakformer.Learning.Objectives;
using Peakformer.Learning.Splits;
using Peakformer.Learning.Training;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Inputs;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Preprocessing;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Training;

/// <summary>
/// A spectrum training run: reads labelled spectra (any input of <see cref="SpectrumSetReader"/>), applies the preprocessing pipeline (kept in the checkpoint),
/// splits stratified by class (§8), builds the kind's model for the data's length and classes and trains it with the
/// trainer (cross-entropy with balanced class weights w_c = N / (K max(n_c, 1)) (§8) and the kind's label smoothing
/// (§6); mixup's mixed targets when asked), augmentation on the training side only. k-NN is not trained: it stores
/// the training side and is scored on the validation side. The checkpoint carries a <see cref="SpectrumModelInfo"/>.
/// </summary>
public static class SpectrumTraining
{
    /// <summary>Stream index that keeps the augmentation draws apart from the split's and the trainer's shuffles.</summary>
    private const ulong AugmentationStream = 0x737065637472; // "spectr"

    public static TrainingResult Run(ModelKind kind, string? configJson, string dataPath, SpectrumReadOptions read, string? preprocessing, SpectrumAugmentation augmentation,
        TrainingSettings settings, string checkpoint, bool resume, IProgressReporter progress)
    {
        if (kind.Task != SpectrumModels.SpectrumTask) throw new InputException($"--model: {kind.Name} is not a spectrum model");
        settings.Validate();
        augmentation.Validate();
        var pipeline = preprocessing is null ? null : PreprocessingPipeline.Parse(preprocessing, "--preprocess");
        var raw = SpectrumSetReader.Read(dataPath, read, progress.Note);
        if (raw.ClassNames.Count < 2) throw InputException.At(dataPath, null, "class_names", "at least 2 classes", raw.ClassNames.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        pipeline?.Axes(raw.Wavenumbers, "--preprocess");
        var set = pipeline is null ? raw : pipeline.Apply(raw, progress, "--preprocess");
        if (augmentation.Roll >= set.Length)
            throw InputException.At(null, null, "--augment roll", $"fewer bins than the spectrum's {set.Length}", augmentation.Roll.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!SpectrumModels.Learns(kind) && augmentation.Enabled)
            throw InputException.At(null, null, "--augment", $"a model that learns ({kind.Name} stores the training spectra as they are)", augmentation.ToString());
        Finite.InRange("--validation", settings.ValidationFraction, 0, 0.9);
        var (trainRows, validationRows) = StratifiedSplit.Indices(set.Labels, settings.ValidationFraction, settings.Seed);
        if (trainRows.Length == 0 || validationRows.Length == 0)
            throw new InputException($"{dataPath}: expected spectra on both sides of the split, found {trainRows.Length} for training and {validationRows.Length} for validation of {set.Count}");
        int classes = set.ClassNames.Count;
        string description = $"{dataPath}: {set.Count:N0} spectra of {set.Length} points, {classes} classes" +
            (pipeline is null ? "" : $", preprocessed {pipeline.Spec}") + $"; {trainRows.Length:N0} for training, {validationRows.Length:N0} for validation";
        progress.Note(description);
        string config = ConfigFor(configJson, kind, set.Length, classes, trainRows.Length, dataPath);
        var model = kind.Create(config, new Rng(settings.Seed), "--model-config");
        var info = new SpectrumModelInfo
        {
            ClassNames = set.ClassNames.ToArray(),
            Axis = set.Wavenumbers,
            InputAxis = raw.Wavenumbers,
            Preprocessing = pipeline?.Spec ?? "",
            InputPreprocessing = raw.PreprocessingJson is { } done ? PreprocessingPipeline.FromJson(done, $"{dataPath}: preprocessing_json").Spec : "",
            Augmentation = augmentation,
            Data = description,
            Settings = settings,
        };
        if (!SpectrumModels.Learns(kind)) return Store(model, kind, config, set, trainRows, validationRows, info, checkpoint);

        bool mixed = augmentation.Mixup > 0;
        var trainLabels = trainRows.Select(r => set.Labels[r]).ToArray();
        var weights = ClassWeights.Balanced(trainLabels, classes);
        float smoothing = SpectrumModels.LabelSmoothingOf(kind);
        IObjective objective = mixed ? new MixedTargetObjective(classes, weights, smoothing) : new MultiClassObjective(classes, weights, smoothing);
        var train = new SpectrumExamples(set, trainRows, augmentation, Rng.Mix(settings.Seed, AugmentationStream), mixed);
        var validation = new SpectrumExamples(set, validationRows, SpectrumAugmentation.None, 0, mixed);
        info = info with { LabelSmoothing = smoothing, ClassWeights = weights };
        return Trainer.Train(model, objective, train, validation, settings, progress, best => SpectrumCheckpoint.Save(checkpoint, model, kind, config, info with
        {
            History = best.History.ToList(),
            BestEpoch = best.BestEpoch,
            BestValidationMacroF1 = best.BestMetric,
        }), checkpoint, resume, label: kind.Name);
    }

    /// <summary>k-NN: the training side stored, macro-F1 on the validation side.</summary>
    private static TrainingResult Store(ITrainable model, ModelKind kind, string config, SpectrumSet set, int[] trainRows, int[] validationRows,
        SpectrumModelInfo info, string checkpoint)
    {
        var knn = (NearestNeighbours)model;
        int length = set.Length;
        var stored = new float[(long)trainRows.Length * length];
        for (int i = 0; i < trainRows.Length; i++) set.Spectrum(trainRows[i]).CopyTo(stored.AsSpan(i * length, length));
        knn.Fit(stored, trainRows.Select(r => set.Labels[r]).ToArray());
        var queries = new float[(long)validationRows.Length * length];
        for (int i = 0; i < validationRows.Length; i++) set.Spectrum(validationRows[i]).CopyTo(queries.AsSpan(i * length, length));
        var probabilities = new float[validationRows.Length * knn.Config.Classes];
        knn.Probabilities(queries, probabilities);
        var predicted = ArgMax.Rows(probabilities, knn.Config.Classes);
        var truth = validationRows.Select(r => set.Labels[r]).ToArray();
        double f1 = ClassificationMetrics.Of(truth, predicted, Enumerable.Range(0, knn.Config.Classes).ToArray()).MacroF1;
        SpectrumCheckpoint.Save(checkpoint, model, kind, config, info with { BestValidationMacroF1 = f1 });
        return new TrainingResult([], 0, f1, Saved: true, StoppedEarly: false);
    }

    /// <summary>
    /// The user's config with the data's <c>length</c>, <c>classes</c> and (k-NN) stored <c>examples</c> filled in
    /// where the kind's config record has those fields; given ones must match the data.
    /// </summary>
    public static string ConfigFor(string? configJson, ModelKind kind, int length, int classes, int examples, string source)
    {
        JsonObject config;
        try
        {
            config = string.IsNullOrWhiteSpace(configJson) ? [] : JsonNode.Parse(configJson) as JsonObject
                ?? throw new InputException("--model-config: expected a JSON object, e.g. '{\"layers\": 2}'");
        }
        catch (JsonException e)
        {
            throw new InputException($"--model-config: invalid JSON: {JsonErrors.Reason(e)}");
        }
        foreach (var (property, key, value) in new[] { ("Length", "length", length), ("Classes", "classes", classes), ("Examples", "examples", examples) })
        {
            if (kind.ConfigType.GetProperty(property) is null) continue;
            if (config[key] is null) config[key] = value;
            else if (config[key] is not JsonValue v || !v.TryGetValue(out int given) || given != value)
                throw new InputException($"--model-config: {key}: expected {value} (from {source}), found {config[key]!.ToJsonString()}");
        }
        return config.ToJsonString();
    }
}
