using Peakformer.Data.Npy;
using Peakformer.Engine.Checkpoints;

namespace Peakformer.Tests.Hostile;

/// <summary>Copies of good files with one hostile change: a NaN sample in a dataset, a NaN weight or a huge config in a checkpoint.</summary>
public static class HostileCopies
{
    /// <summary>A copy of a dataset with waveforms[waveform, sample] = value.</summary>
    public static string PoisonWaveform(string source, string destination, int waveform, int sample, float value)
    {
        using (var reader = new NpzReader(source))
        using (var writer = new NpzWriter(destination))
        {
            foreach (var key in reader.Keys)
            {
                var array = reader.Read(key);
                if (key == "waveforms") ((float[])array.Values)[waveform * array.Shape[1] + sample] = value;
                writer.Add(key, array);
            }
            writer.Commit();
        }
        return destination;
    }

    /// <summary>A copy of a checkpoint with its metadata and tensors changed.</summary>
    public static string Rewrite(string source, string destination, Action<Dictionary<string, string>>? metadata = null,
        Action<IReadOnlyList<SafeTensorsEntry>>? tensors = null)
    {
        var (entries, meta) = SafeTensorsFile.Read(source);
        var copy = new Dictionary<string, string>(meta);
        metadata?.Invoke(copy);
        tensors?.Invoke(entries);
        SafeTensorsFile.Write(destination, entries, copy);
        return destination;
    }

    /// <summary>A copy of a checkpoint whose model config (JSON) has key = value (a JSON literal).</summary>
    public static string WithConfig(string source, string destination, string key, string value) => Rewrite(source, destination, metadata: m =>
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(m[Checkpoint.ConfigKey])!.AsObject();
        config[key] = System.Text.Json.Nodes.JsonNode.Parse(value);
        m[Checkpoint.ConfigKey] = config.ToJsonString();
    });

    /// <summary>A copy of a checkpoint whose info record (under infoKey) has key = value (a JSON literal).</summary>
    public static string WithInfo(string source, string destination, string infoKey, string key, string value) => Rewrite(source, destination, metadata: m =>
    {
        var info = System.Text.Json.Nodes.JsonNode.Parse(m[infoKey])!.AsObject();
        info[key] = System.Text.Json.Nodes.JsonNode.Parse(value);
        m[infoKey] = info.ToJsonString();
    });
}
