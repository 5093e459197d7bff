using System.Text.Json;
using System.Text.Json.Nodes;
using Peakformer.Data.Images;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;
using Peakformer.Learning.Objectives;
using Peakformer.Learning.Training;
using Peakformer.Progress;
using Peakformer.Vision.Data;
using Peakformer.Vision.Models;

namespace Peakformer.Vision.Training;

/// <summary>
/// Reads the training split of an image set (or a TERS map set, for the map task's kinds), splits it stratified, builds the Vision Transformer for the data's
/// shape and classes, trains it (cross-entropy with the recipe's label smoothing, augmentation on the training side)
/// and writes the checkpoint with its <see cref="ImageModelInfo"/>.
/// </summary>
public static class ImageTraining
{
    public static (TrainingResult Result, ImageSet Set) Run(ModelKind kind, string? configJson, string dataPath, ImageAugmentation augmentation,
        TrainingSettings settings, string checkpoint, bool resume, IProgressReporter progress)
    {
        if (kind.ConfigType != typeof(VisionTransformerConfig)) throw new InputException($"--model: {kind.Name} is not an image model");
        settings.Validate();
        augmentation.Validate();
        var set = ImageSetReader.Read(dataPath, ImageSplit.Train);
        if (set.Height != set.Width)
            throw new InputException($"{set.Source}: images of {set.Height}x{set.Width}: expected square images (the Vision Transformer's image_size)");
        var model = kind.Create(ConfigFor(configJson, set), new Rng(settings.Seed), "--model-config") as VisionTransformer
            ?? throw new InputException($"--model: {kind.Name} is not an image model (a Vision Transformer)");
        var (train, validation) = ImageTrainingData.Split(set, settings.ValidationFraction, augmentation, settings.Seed);
        string description = $"{set.Source}: {set.Count:N0} images of {set.Channels}x{set.Height}x{set.Width}, {set.Classes} classes; " +
            $"{train.Count:N0} for training, {validation.Count:N0} for validation";
        progress.Note(description);
        var objective = new MultiClassObjective(set.Classes, labelSmoothing: VisionModels.LabelSmoothing);
        var result = Trainer.Train(model, objective, train, validation, settings, progress, best => ImageCheckpoint.Save(checkpoint, model, new ImageModelInfo
        {
            Task = kind.Task,
            ClassNames = set.ClassNames.ToArray(),
            Channels = set.Channels,
            Height = set.Height,
            Width = set.Width,
            Augmentation = augmentation,
            LabelSmoothing = objective.LabelSmoothing,
            Data = description,
            Settings = settings,
            History = best.History.ToList(),
            BestEpoch = best.BestEpoch,
            BestValidationMacroF1 = best.BestMetric,
        }), checkpoint, resume, label: model.Kind);
        return (result, set);
    }

    /// <summary>
    /// The user's config with image_size, channels and classes taken from the data where not given; given ones must
    /// match the data.
    /// </summary>
    public static string ConfigFor(string? configJson, ImageSet set)
    {
        JsonObject config;
        try
        {
            config = string.IsNullOrWhiteSpace(configJson) ? [] : JsonNode.Parse(configJson) as JsonObject
                ?? throw new InputException("--model-config: expected a JSON object, e.g. '{\"layers\": 2}'");
        }
        catch (JsonException e)
        {
            throw new InputException($"--model-config: invalid JSON: {e.Message.Split('.')[0]}");
        }
        foreach (var (key, value) in new[] { ("image_size", set.Height), ("channels", set.Channels), ("classes", set.Classes) })
        {
            if (config[key] is null) config[key] = value;
            else if (config[key] is not JsonValue v || !v.TryGetValue(out int given) || given != value)
                throw new InputException($"--model-config: {key}: expected {value} (from {set.Source}), found {config[key]!.ToJsonString()}");
        }
        return config.ToJsonString();
    }
}
