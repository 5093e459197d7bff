using System.Text.Json;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// A peak model as one .safetensors file: the weights under PyTorch's names (a plain state dict), and in
/// __metadata__ the model kind, its config and a <see cref="PeakModelInfo"/> ("peak_model_info"). Loading
/// rebuilds the model from the metadata and loads the weights strictly.
/// </summary>
public static class PeakCheckpoint
{
    public const string InfoKey = "peak_model_info";

    public static void Save(string path, IPeakModel model, PeakModelInfo info) =>
        Checkpoint.Save(path, model.Module, model.Kind, ModelCatalog.ToJson(model.Config),
            new Dictionary<string, string> { [InfoKey] = JsonSerializer.Serialize(info, ModelCatalog.Json), ["task"] = info.Task });

    public static (IPeakModel Model, PeakModelInfo Info) Load(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: model file not found");
        var (kind, config, metadata) = Checkpoint.ReadHeader(path);
        if (!metadata.TryGetValue(InfoKey, out var infoJson))
            throw new InputException($"{path}: not a Peakformer peak model (no {InfoKey} in __metadata__)");
        PeakModelInfo info;
        try
        {
            info = JsonSerializer.Deserialize<PeakModelInfo>(infoJson, ModelCatalog.Json) ?? throw new InputException($"{path}: empty {InfoKey}");
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: {InfoKey} is invalid at {e.Path}: {e.Message.Split('.')[0]}");
        }
        var model = ModelCatalog.Create(kind, config, new Rng(0), path);
        Checkpoint.Load(path, model.Module);
        model.Module.Eval();
        return (model, info);
    }
}
