using Peakformer.Engine.Checkpoints;

namespace Peakformer.Learning.Models;

/// <summary>
/// A checkpoint carried inside another, so that one file holds a model and the model it depends on (a second-stage
/// model and the first-stage model whose outputs it reads): the carried tensors are named "prefix.name" and its metadata keys
/// "prefix.key". Each part is then loaded strictly on its own.
/// </summary>
public static class NestedCheckpoint
{
    public static IEnumerable<SafeTensorsEntry> Tensors(string prefix, IEnumerable<SafeTensorsEntry> tensors) =>
        tensors.Select(t => t with { Name = $"{prefix}.{t.Name}" });

    public static IEnumerable<KeyValuePair<string, string>> Metadata(string prefix, IReadOnlyDictionary<string, string> metadata) =>
        metadata.Select(m => KeyValuePair.Create($"{prefix}.{m.Key}", m.Value));

    /// <summary>
    /// The file's own tensors and the carried checkpoint (names and keys without the prefix). A file that carries
    /// no metadata under the prefix carries nothing: all its tensors are its own, so strict loading names any stray one.
    /// </summary>
    public static (IReadOnlyList<SafeTensorsEntry> Own, (IReadOnlyList<SafeTensorsEntry> Tensors, IReadOnlyDictionary<string, string> Metadata)? Nested)
        Split(string prefix, IReadOnlyList<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        string start = prefix + ".";
        var nestedMetadata = metadata.Where(m => m.Key.StartsWith(start, StringComparison.Ordinal)).ToDictionary(m => m.Key[start.Length..], m => m.Value);
        if (nestedMetadata.Count == 0) return (tensors, null);
        var own = tensors.Where(t => !t.Name.StartsWith(start, StringComparison.Ordinal)).ToList();
        var nested = tensors.Where(t => t.Name.StartsWith(start, StringComparison.Ordinal)).Select(t => t with { Name = t.Name[start.Length..] }).ToList();
        return (own, (nested, nestedMetadata));
    }
}
