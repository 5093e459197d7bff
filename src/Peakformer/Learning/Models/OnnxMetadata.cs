using System.Reflection;

namespace Peakformer.Learning.Models;

/// <summary>
/// What every exported ONNX model carries in its metadata_props, whatever its domain: the model kind, its config as
/// the checkpoint stores it, the task, and the Peakformer version that wrote it. Rooms add their own keys (inputs,
/// preprocessing, class names).
/// </summary>
public static class OnnxMetadata
{
    /// <summary>This build's version (informational: version and commit).</summary>
    public static string PeakformerVersion { get; } =
        typeof(OnnxMetadata).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static Dictionary<string, string> For(string kind, object config, string task) => new()
    {
        ["peakformer_model"] = kind,
        ["config"] = ModelJson.Serialize(config),
        ["task"] = task,
        ["peakformer_version"] = PeakformerVersion,
    };
}
