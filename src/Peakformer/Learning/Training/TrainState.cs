using System.Text.Json;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Files;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Tensors;

namespace Peakformer.Learning.Training;

/// <summary>
/// Everything needed to resume training beside a checkpoint ("model.safetensors.state"): the latest weights,
/// optimiser moments and step count, epochs done, history, early-stopping counters and where the model's dropout
/// streams are. Kept separate so the checkpoint itself stays a plain PyTorch state dict.
/// </summary>
public sealed record TrainState(int Epoch, int OptimizerSteps, float LearningRate, int BestEpoch, double BestMetric, int EpochsWithoutImprovement,
    bool Saved, List<EpochRecord> History)
{
    public static string PathFor(string checkpoint) => checkpoint + ".state";

    /// <summary>
    /// The state of each generator of <see cref="Engine.Layers.Module.Generators"/> (dropout) after the last epoch:
    /// without it a resumed run draws the masks of epoch 3 from where initialisation left the stream, not from where
    /// epoch 2 did. Null in states written before it was kept.
    /// </summary>
    public List<ulong[]>? Generators { get; init; }

    /// <summary>
    /// The settings the run started with: a resumed run equals an uninterrupted one only with the same seed, batch,
    /// optimiser and schedule. Null in states written before they were kept.
    /// </summary>
    public TrainingSettings? Settings { get; init; }

    /// <summary>
    /// The epoch whose weights the checkpoint holds (0: none kept yet) and its metric. Its weights are in the state
    /// too (tensor <see cref="KeptWeightsName"/>), so a resumed run that does not improve still writes the whole
    /// history beside them at its end. Null in states written before they were kept.
    /// </summary>
    public int? KeptEpoch { get; init; }

    public double? KeptMetric { get; init; }

    /// <summary>The tensor of the kept epoch's weights, all parameters flat in <see cref="Engine.Layers.ParameterSet"/> order, then its buffers (<see cref="KeptState"/>).</summary>
    public const string KeptWeightsName = "kept.weights";

    /// <summary>The kept epoch's weights read by <see cref="Load"/> (null when the state has none); not serialised.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public float[]? KeptWeights { get; init; }

    /// <summary>Refuses to resume with other settings than the run started with (only the number of epochs may change).</summary>
    public void RequireSameSettings(string checkpoint, TrainingSettings now)
    {
        if (Settings is null) return;
        var before = JsonSerializer.SerializeToNode(Settings with { Epochs = 0 })!.AsObject();
        var after = JsonSerializer.SerializeToNode(now with { Epochs = 0 })!.AsObject();
        // Keys of both sides: a setting left out of the JSON by default (precision) is missing from one of them.
        var changed = before.Select(kv => kv.Key).Union(after.Select(kv => kv.Key))
            .Where(key => !System.Text.Json.Nodes.JsonNode.DeepEquals(before[key], after[key]))
            .Select(key => $"{key} {before[key]?.ToJsonString() ?? "null"} (now {after[key]?.ToJsonString() ?? "null"})").ToList();
        if (changed.Count > 0)
            throw new InputException($"{PathFor(checkpoint)}: the run started with {string.Join(", ", changed)}; resume with the settings it started with (only --epochs may change)");
    }

    /// <summary>This state with the model's generator states as they are now.</summary>
    public TrainState WithGeneratorsOf(Engine.Layers.Module model) => this with { Generators = model.Generators().Select(g => g.GetState()).ToList() };

    /// <summary>Puts the saved generator states back into the model (a state without them leaves the model's as they are).</summary>
    public void RestoreGenerators(string checkpoint, Engine.Layers.Module model)
    {
        if (Generators is null) return;
        var generators = model.Generators();
        if (Generators.Count != generators.Count)
            throw new InputException($"{PathFor(checkpoint)}: generators: expected {generators.Count} dropout streams for this model, found {Generators.Count}");
        for (int i = 0; i < generators.Count; i++)
        {
            try
            {
                generators[i].SetState(Generators[i]);
            }
            catch (ArgumentException e)
            {
                throw new InputException($"{PathFor(checkpoint)}: generators[{i}]: {e.Message}");
            }
        }
    }

    /// <param name="keptWeights">The kept epoch's weights (null while none is kept).</param>
    public void Save(string checkpoint, Engine.Layers.Module model, Optimizer optimizer, float[]? keptWeights = null)
    {
        var tensors = Checkpoint.Entries(model).Select(e => e with { Name = "model." + e.Name })
            .Concat(optimizer.State.Select(s => new SafeTensorsEntry("optimizer." + s.Key, new Shape(s.Value.Length), s.Value)))
            .Concat(keptWeights is null ? [] : [new SafeTensorsEntry(KeptWeightsName, new Shape(keptWeights.Length), keptWeights)]);
        SafeTensorsFile.Write(PathFor(checkpoint), tensors, new Dictionary<string, string> { ["train_state"] = JsonSerializer.Serialize(this) });
    }

    public static TrainState Load(string checkpoint, Engine.Layers.Module model, Optimizer optimizer)
    {
        string path = PathFor(checkpoint);
        if (!File.Exists(path)) throw new InputException($"--resume: no training state {path} beside the checkpoint (it is written after every epoch)");
        var (tensors, metadata) = SafeTensorsFile.Read(path);
        if (!metadata.TryGetValue("train_state", out var json))
            throw new InputException($"{path}: not a Peakformer training state (no train_state metadata)");
        var state = Parse(path, json);
        Checkpoint.LoadEntries(path, tensors.Where(t => t.Name.StartsWith("model.", StringComparison.Ordinal)).Select(t => t with { Name = t.Name[6..] }).ToList(), model);
        var moments = tensors.Where(t => t.Name.StartsWith("optimizer.", StringComparison.Ordinal)).ToDictionary(t => t.Name[10..], t => t.Values);
        foreach (var (name, values) in moments)
            if (FiniteScan.IndexOfNonFinite(values) is var bad and >= 0)
                throw new InputException($"{path}: tensor 'optimizer.{name}' holds {Finite.Describe(values[bad])} at element {bad} (expected finite optimiser moments)");
        try
        {
            optimizer.LoadState(moments, state.OptimizerSteps);
        }
        catch (ArgumentException e)
        {
            throw new InputException($"{path}: optimiser state does not fit this model ({e.Message})");
        }
        optimizer.LearningRate = state.LearningRate;
        var kept = tensors.FirstOrDefault(t => t.Name == KeptWeightsName);
        if (kept is null) return state;
        int count = KeptState.Size(model);
        if (kept.Values.Length != count)
            throw InputException.At(path, null, $"tensor '{KeptWeightsName}'", $"{count} values (the weights and buffers of this model)", kept.Values.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (FiniteScan.IndexOfNonFinite(kept.Values) is var nonFinite and >= 0)
            throw InputException.At(path, null, $"tensor '{KeptWeightsName}'", "finite weights", $"{Finite.Describe(kept.Values[nonFinite])} at element {nonFinite}");
        if (state.KeptEpoch is not { } epoch || epoch < 1 || epoch > state.Epoch)
            throw InputException.At(path, null, "__metadata__.train_state.KeptEpoch", $"an epoch in [1, {state.Epoch}] beside the kept weights", state.KeptEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null");
        return state with { KeptWeights = kept.Values };
    }

    /// <summary>The train_state metadata, every field checked: a damaged value is an error naming the file and the field.</summary>
    private static TrainState Parse(string path, string json)
    {
        const string field = "__metadata__.train_state";
        TrainState? state;
        try
        {
            state = JsonSerializer.Deserialize<TrainState>(json, Options);
        }
        catch (JsonException e)
        {
            throw InputException.At(path, null, $"{field}{e.Path?.TrimStart('$')}", "the JSON of a training state", JsonErrors.Reason(e));
        }
        if (state is null) throw InputException.At(path, null, field, "a training state object", "null");
        void Need(bool ok, string name, string expected, object? found)
        {
            if (!ok) throw InputException.At(path, null, $"{field}.{name}", expected, Convert.ToString(found, System.Globalization.CultureInfo.InvariantCulture) ?? "null");
        }
        Need(state.Epoch >= 0, nameof(Epoch), "zero or more", state.Epoch);
        Need(state.OptimizerSteps >= 0, nameof(OptimizerSteps), "zero or more", state.OptimizerSteps);
        Need(float.IsFinite(state.LearningRate) && state.LearningRate > 0, nameof(LearningRate), "a positive finite number", state.LearningRate);
        Need(state.BestEpoch >= 0 && state.BestEpoch <= state.Epoch, nameof(BestEpoch), $"in [0, Epoch = {state.Epoch}]", state.BestEpoch);
        Need(!double.IsNaN(state.BestMetric), nameof(BestMetric), "a number", state.BestMetric);
        Need(state.EpochsWithoutImprovement >= 0, nameof(EpochsWithoutImprovement), "zero or more", state.EpochsWithoutImprovement);
        Need(state.History is not null, nameof(History), "a list of epoch records", "null");
        Need(state.History!.Count == state.Epoch, nameof(History), $"{state.Epoch} epoch records (one per epoch done)", state.History.Count);
        for (int i = 0; i < state.History.Count; i++)
            Need(state.History[i] is { } r && r.Epoch == i + 1, $"{nameof(History)}[{i}]", $"the record of epoch {i + 1}", state.History[i]?.Epoch.ToString() ?? "null");
        return state;
    }

    private static readonly JsonSerializerOptions Options = new() { RespectNullableAnnotations = true, RespectRequiredConstructorParameters = true };
}
