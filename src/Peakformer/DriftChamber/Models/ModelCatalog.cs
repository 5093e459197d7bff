using System.Text.Json;
using System.Text.Json.Serialization;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Models;

/// <summary>Builds peak models by name from JSON configs (snake_case; unknown keys are an error).</summary>
public static class ModelCatalog
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static readonly IReadOnlyList<string> Kinds = ["window-transformer", "window-lstm", "perbin-transformer"];

    /// <summary>The kind for a --task / --model pair.</summary>
    public static string KindFor(string task, string model) => (task, model) switch
    {
        ("window", "transformer") => "window-transformer",
        ("window", "lstm") => "window-lstm",
        ("perbin", "transformer") => "perbin-transformer",
        ("perbin", _) => throw new InputException($"--model: the perbin task has a transformer model only, found '{model}'"),
        (not ("window" or "perbin"), _) => throw new InputException($"--task: expected window or perbin, found '{task}'"),
        _ => throw new InputException($"--model: expected transformer or lstm, found '{model}'"),
    };

    public static IPeakModel Create(string kind, string? configJson, Rng rng, string where = "config")
    {
        try
        {
            return kind switch
            {
                "window-transformer" => new WindowTransformer(Parse<WindowTransformerConfig>(configJson), rng),
                "window-lstm" => new WindowLstm(Parse<WindowLstmConfig>(configJson), rng),
                "perbin-transformer" => new PerBinTransformer(Parse<PerBinTransformerConfig>(configJson), rng),
                _ => throw new InputException($"{where}: unknown model '{kind}' (expected one of {string.Join(", ", Kinds)})"),
            };
        }
        catch (JsonException e)
        {
            throw new InputException($"{where}: model config is invalid at {e.Path}: {e.Message.Split('.')[0]}");
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
        {
            throw new InputException($"{where}: model config: {e.Message}");
        }
    }

    private static T Parse<T>(string? json) where T : new() =>
        string.IsNullOrWhiteSpace(json) ? new T() : JsonSerializer.Deserialize<T>(json, Json) ?? new T();

    public static string ToJson(object config) => JsonSerializer.Serialize(config, config.GetType(), Json);
}
