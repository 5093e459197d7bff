using System.Text.Json;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Layers;

namespace Peakformer.Learning.Models;

/// <summary>
/// The metadata half of a model checkpoint: the model kind and config (in the engine's keys) and a typed info record
/// as JSON under its own key. Weights are saved and loaded strictly by the engine's <see cref="Checkpoint"/>.
/// </summary>
internal static class CheckpointInfo
{
    public static Dictionary<string, string> Metadata(string key, object info, string task) =>
        new() { [key] = JsonSerializer.Serialize(info, info.GetType(), ModelJson.Options), ["task"] = task };

    public static void Save(string path, Module module, string kind, object config, string key, object info, string task,
        IEnumerable<KeyValuePair<string, string>>? extraMetadata = null, IEnumerable<SafeTensorsEntry>? extraTensors = null)
    {
        var metadata = Metadata(key, info, task);
        foreach (var (k, v) in extraMetadata ?? []) metadata[k] = v;
        Checkpoint.Save(path, module, kind, ModelJson.Serialize(config), metadata, extraTensors);
    }

    /// <summary>All tensors and the metadata of a checkpoint file; a missing file is an InputException.</summary>
    public static (IReadOnlyList<SafeTensorsEntry> Tensors, IReadOnlyDictionary<string, string> Metadata) ReadFile(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: model file not found");
        return SafeTensorsFile.Read(path);
    }

    /// <summary>Kind, config and info record from a checkpoint's metadata; <paramref name="source"/> names it in errors.</summary>
    public static (string Kind, string Config, T Info) Parse<T>(string source, IReadOnlyDictionary<string, string> metadata, string key, string what)
    {
        var (kind, config) = Checkpoint.Describe(source, metadata);
        if (!metadata.TryGetValue(key, out var json))
        {
            string task = metadata.GetValueOrDefault("task", "unknown");
            throw new InputException($"{source}: not a {what} (its task is {task}: no {key} in __metadata__)");
        }
        try
        {
            var info = JsonSerializer.Deserialize<T>(json, ModelJson.Options) ?? throw new InputException($"{source}: empty {key}");
            return (kind, config, info);
        }
        catch (JsonException e)
        {
            throw new InputException($"{source}: {key} is invalid at {e.Path}: {e.Message.Split('.')[0]}");
        }
    }
}
