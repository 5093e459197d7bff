using System.Text.Json.Nodes;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;
using Peakformer.Learning.Training;
using Peakformer.Spectroscopy.Preprocessing;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// A spectrum model of any registered spectrum kind as one .safetensors file: its weights under their PyTorch names
/// (k-NN: its stored training spectra), and in __metadata__ the kind, its config and a <see cref="SpectrumModelInfo"/>
/// ("spectrum_model_info"). Loading rebuilds the model through the registry, loads the weights strictly and checks the
/// info against the config's length and classes.
/// </summary>
public static class SpectrumCheckpoint
{
    public const string InfoKey = "spectrum_model_info";

    public static void Save(string path, ITrainable model, ModelKind kind, string configJson, SpectrumModelInfo info) =>
        CheckpointInfo.Save(path, model.Module, kind.Name, System.Text.Json.JsonSerializer.Deserialize(configJson, kind.ConfigType, ModelJson.Options)!, InfoKey, info, info.Task);

    public static (ITrainable Model, ModelKind Kind, SpectrumModelInfo Info) Load(string path)
    {
        var (tensors, metadata) = CheckpointInfo.ReadFile(path);
        var (name, config, info) = CheckpointInfo.Parse<SpectrumModelInfo>(path, metadata, InfoKey, "Peakformer spectrum model");
        var kind = ModelKinds.All.Get(name, path);
        if (kind.Task != SpectrumModels.SpectrumTask)
            throw new InputException($"{path}: not a spectrum model (its kind {name} serves the {kind.Task} task)");
        var model = kind.Create(config, new Rng(0), path);
        Check(path, config, info);
        Checkpoint.LoadEntries(path, tensors, model.Module);
        if (model is NearestNeighbours knn) knn.CheckStored(path);
        model.Module.Eval();
        return (model, kind, info);
    }

    /// <summary>Whether a file is a checkpoint of a spectrum kind (by its metadata's kind); anything unreadable is left to the caller's errors.</summary>
    public static bool IsSpectrumModel(string path) =>
        File.Exists(path) && path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
        && ModelKinds.All.Find(Checkpoint.ReadHeader(path).Kind)?.Task == SpectrumModels.SpectrumTask;

    /// <summary>The pipeline the checkpoint carries (null for none).</summary>
    public static PreprocessingPipeline? Pipeline(string path, SpectrumModelInfo info) =>
        info.Preprocessing.Length == 0 ? null : PreprocessingPipeline.Parse(info.Preprocessing, $"{path}: {InfoKey}: preprocessing");

    private static void Check(string path, string config, SpectrumModelInfo info)
    {
        string where = $"{path}: {InfoKey}";
        if (info.Task != SpectrumModels.SpectrumTask) throw new InputException($"{where}: task: expected {SpectrumModels.SpectrumTask}, found {info.Task}");
        if (info.Axis is null || info.Axis.Length == 0 || info.InputAxis is null || info.InputAxis.Length == 0)
            throw new InputException($"{where}: axis: expected the shift of every point, found none");
        var json = JsonNode.Parse(config) as JsonObject ?? [];
        if (json["length"] is JsonValue l && l.TryGetValue(out int length) && length != info.Axis.Length)
            throw new InputException($"{where}: axis: expected {length} points (the config's length), found {info.Axis.Length}");
        if (json["classes"] is JsonValue c && c.TryGetValue(out int classes) && (info.ClassNames is null || info.ClassNames.Count != classes))
            throw new InputException($"{where}: class_names: expected {classes} (the config's classes), found {info.ClassNames?.Count ?? 0}");
    }
}
