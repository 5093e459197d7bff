using Peakformer.Engine.Layers;

namespace Peakformer.Engine.Checkpoints;

/// <summary>
/// A model's parameters as one safetensors file under PyTorch's names, with the model config as JSON text
/// in the metadata ("config"), so <c>model.load_state_dict(safetensors.torch.load_file(path))</c> works in PyTorch.
/// </summary>
public static class Checkpoint
{
    public const string ConfigKey = "config";
    public const string KindKey = "peakformer_model";

    /// <summary>
    /// Writes the model's parameters and its description; <paramref name="extraTensors"/> are further tensors of the
    /// same file (another model carried inside this one, under names no parameter of the model has).
    /// </summary>
    public static void Save(string path, Module model, string kind, string configJson, IReadOnlyDictionary<string, string>? extraMetadata = null,
        IEnumerable<SafeTensorsEntry>? extraTensors = null)
    {
        var metadata = new Dictionary<string, string> { ["format"] = "pt", [KindKey] = kind, [ConfigKey] = configJson };
        if (extraMetadata is not null) foreach (var (k, v) in extraMetadata) metadata[k] = v;
        SafeTensorsFile.Write(path, Entries(model).Concat(extraTensors ?? []), metadata);
    }

    /// <summary>
    /// The model's state (parameters, then buffers such as batch norm's running statistics) as tensors under their
    /// PyTorch names (copies). Every tensor is float32, num_batches_tracked too: PyTorch's load_state_dict copies it
    /// into its int64 buffer.
    /// </summary>
    public static IEnumerable<SafeTensorsEntry> Entries(Module model) =>
        model.NamedState().Select(p => new SafeTensorsEntry(p.Name, p.Value.Shape, p.Value.ToArray()));

    /// <summary>Reads only the metadata (model kind and config) so the caller can build the right model first.</summary>
    public static (string Kind, string ConfigJson, IReadOnlyDictionary<string, string> Metadata) ReadHeader(string path)
    {
        var (_, metadata) = SafeTensorsFile.Read(path);
        var (kind, config) = Describe(path, metadata);
        return (kind, config, metadata);
    }

    /// <summary>The model kind and config of a checkpoint's metadata; <paramref name="source"/> names the checkpoint in the error.</summary>
    public static (string Kind, string ConfigJson) Describe(string source, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(KindKey, out var kind) || !metadata.TryGetValue(ConfigKey, out var config))
            throw new SafeTensorsException($"{source}: no Peakformer model description in __metadata__ (keys '{KindKey}' and '{ConfigKey}').");
        return (kind, config);
    }

    /// <summary>Strict load: every parameter and buffer must be present with its exact shape, and nothing else may be in the file.</summary>
    public static void Load(string path, Module model)
    {
        var (tensors, _) = SafeTensorsFile.Read(path);
        LoadEntries(path, tensors, model);
    }

    public static void LoadEntries(string source, IReadOnlyList<SafeTensorsEntry> tensors, Module model)
    {
        var byName = new Dictionary<string, SafeTensorsEntry>();
        foreach (var t in tensors) byName[t.Name] = t;
        var expected = model.NamedState().ToList();
        var missing = expected.Where(p => !byName.ContainsKey(p.Name)).Select(p => p.Name).ToList();
        var expectedNames = expected.Select(p => p.Name).ToHashSet();
        var unexpected = byName.Keys.Where(n => !expectedNames.Contains(n)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new SafeTensorsException($"{source}: checkpoint does not match the model: "
                + (missing.Count > 0 ? $"missing {string.Join(", ", missing)}" : "")
                + (missing.Count > 0 && unexpected.Count > 0 ? "; " : "")
                + (unexpected.Count > 0 ? $"unexpected {string.Join(", ", unexpected)}" : "") + ".");
        foreach (var (name, p) in expected)
        {
            var t = byName[name];
            if (t.Shape != p.Shape)
                throw new SafeTensorsException($"{source}: tensor '{name}' has shape {t.Shape}, the model expects {p.Shape}.");
        }
        // One pass over the weights: a NaN or infinite weight makes every score NaN downstream, so refuse it here.
        foreach (var (name, _) in expected)
        {
            var values = byName[name].Values;
            int bad = Tensors.FiniteScan.IndexOfNonFinite(values);
            if (bad >= 0)
                throw new SafeTensorsException($"{source}: tensor '{name}' holds {values[bad].ToString(System.Globalization.CultureInfo.InvariantCulture)} " +
                    $"at element {bad} (expected finite weights)");
        }
        foreach (var (name, p) in expected) byName[name].Values.CopyTo(p.Data);
    }
}
