using System.Globalization;
using System.Text.Json.Nodes;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;
using Peakformer.Learning.Splits;
using Peakformer.Learning.Training;
using Peakformer.Progress;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// A tensor training run: reads a <see cref="TensorSet"/>, splits it at random (every example is the same class),
/// builds the kind's model for the data's channels and length, and trains it with <see cref="TensorObjective"/>
/// (sign-invariant MSE plus lambda ||R_hat - R_hat^T||_F^2), keeping the epoch of best validation RMSE.
/// </summary>
public static class TensorTraining
{
    public static TrainingResult Run(ModelKind kind, string? configJson, string dataPath, float symmetryPenalty, TrainingSettings settings,
        string checkpoint, bool resume, IProgressReporter progress)
    {
        if (kind.Task != TensorModels.TensorTask) throw new InputException($"--model: {kind.Name} is not a Raman tensor model");
        settings.Validate();
        // The penalty is part of the loss, not of TrainingSettings (which the training state compares on resume).
        if (resume && File.Exists(checkpoint) && TensorCheckpoint.Load(checkpoint).Info.SymmetryPenalty is var stored && stored != symmetryPenalty)
            throw new InputException($"--resume: {checkpoint} was trained with --symmetry-penalty {stored.ToString(CultureInfo.InvariantCulture)}, found {symmetryPenalty.ToString(CultureInfo.InvariantCulture)}");
        var objective = new TensorObjective(symmetryPenalty);
        var set = TensorSet.Read(dataPath);
        Finite.InRange("--validation", settings.ValidationFraction, 0, 0.9);
        var (trainRows, validationRows) = RandomSplit.Indices(set.Count, settings.ValidationFraction, settings.Seed);
        if (trainRows.Length == 0 || validationRows.Length == 0)
            throw new InputException($"{dataPath}: expected examples on both sides of the split, found {trainRows.Length} for training and {validationRows.Length} for validation of {set.Count}");
        string description = $"{dataPath}: {set.Count:N0} molecules of class {set.ClassName}, {set.Channels} polarised spectra of {set.Length} points each, " +
            $"tensor of the mode at {set.ModeShift.ToString("F1", CultureInfo.InvariantCulture)} cm^-1; {trainRows.Length:N0} for training, {validationRows.Length:N0} for validation";
        progress.Note(description);
        var model = (TensorCnn)kind.Create(ConfigFor(configJson, set), new Rng(settings.Seed), "--model-config");
        var info = new TensorModelInfo
        {
            ChannelNames = set.ChannelNames, Polarisations = set.Polarisations, Axis = set.Wavenumbers, ClassName = set.ClassName, ModeShift = set.ModeShift,
            SymmetryPenalty = symmetryPenalty, Data = description, Settings = settings,
        };
        var train = new TensorExamples(set, trainRows);
        var validation = new TensorExamples(set, validationRows);
        return Trainer.Train(model, objective, train, validation, settings, progress, best => TensorCheckpoint.Save(checkpoint, model, info with
        {
            History = best.History.ToList(),
            BestEpoch = best.BestEpoch,
            BestValidationRmse = best.BestMetric,
        }), checkpoint, resume, label: kind.Name);
    }

    /// <summary>The user's config with the data's <c>length</c> and <c>in_channels</c> filled in; given ones must match the data.</summary>
    private static string ConfigFor(string? configJson, TensorSet set)
    {
        JsonObject config;
        try
        {
            config = string.IsNullOrWhiteSpace(configJson) ? [] : JsonNode.Parse(configJson) as JsonObject
                ?? throw new InputException("--model-config: expected a JSON object, e.g. '{\"channels\": [16, 32, 64, 128]}'");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InputException($"--model-config: invalid JSON: {JsonErrors.Reason(e)}");
        }
        foreach (var (key, value) in new[] { ("length", set.Length), ("in_channels", set.Channels) })
        {
            if (config[key] is null) config[key] = value;
            else if (config[key] is not JsonValue v || !v.TryGetValue(out int given) || given != value)
                throw new InputException($"--model-config: {key}: expected {value} (from the data), found {config[key]!.ToJsonString()}");
        }
        return config.ToJsonString();
    }
}
