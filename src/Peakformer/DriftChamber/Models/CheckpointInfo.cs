using System.Text.Json;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Layers;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// The metadata half of a model checkpoint: the model kind and config (in the engine's keys) and a typed info record
/// as JSON under its own key. Weights are saved and loaded strictly by the engine's <see cref="Checkpoint"/>.
/// </summary>
internal static class CheckpointInfo
{
    public static void Save(string path, Module module, string kind, object config, string key, object info, string task) =>
        Checkpoint.Save(path, module, kind, ModelCatalog.ToJson(config),
            new Dictionary<string, string> { [key] = JsonSerializer.Serialize(info, info.GetType(), ModelCatalog.Json), ["task"] = task });

    public static (string Kind, string Config, T Info) Read<T>(string path, string key, string what)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: model file not found");
        var (kind, config, metadata) = Checkpoint.ReadHeader(path);
        if (!metadata.TryGetValue(key, out var json))
        {
            string task = metadata.GetValueOrDefault("task", "unknown");
            throw new InputException($"{path}: not a {what} (its task is {task}: no {key} in __metadata__)");
        }
        try
        {
            var info = JsonSerializer.Deserialize<T>(json, ModelCatalog.Json) ?? throw new InputException($"{path}: empty {key}");
            return (kind, config, info);
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: {key} is invalid at {e.Path}: {e.Message.Split('.')[0]}");
        }
    }
}
