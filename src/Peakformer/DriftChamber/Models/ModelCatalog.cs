using System.Text.Json;
using System.Text.Json.Serialization;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Models;

/// <summary>Builds models by name from JSON configs (snake_case; unknown keys are an error).</summary>
public static class ModelCatalog
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Peak finders.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["window-transformer", "window-lstm", "perbin-transformer"];
    /// <summary>Cluster counters.</summary>
    public static readonly IReadOnlyList<string> CountKinds = ["count-transformer", "onestep-counter"];

    /// <summary>The kind for a --task / --model pair.</summary>
    public static string KindFor(string task, string model) => (task, model) switch
    {
        ("window", "transformer") => "window-transformer",
        ("window", "lstm") => "window-lstm",
        ("perbin", "transformer") => "perbin-transformer",
        ("count", "transformer") => "count-transformer",
        ("count", "onestep") => "onestep-counter",
        ("perbin", _) => throw new InputException($"--model: the perbin task has a transformer model only, found '{model}'"),
        ("count", _) => throw new InputException($"--model: the count task has transformer (on found peaks) and onestep (on the waveform), found '{model}'"),
        (not ("window" or "perbin" or "count"), _) => throw new InputException($"--task: expected window, perbin or count, found '{task}'"),
        _ => throw new InputException($"--model: expected transformer or lstm, found '{model}'"),
    };

    public static IPeakModel Create(string kind, string? configJson, Rng rng, string where = "config") => Build<IPeakModel>(kind switch
    {
        "window-transformer" => () => new WindowTransformer(Parse<WindowTransformerConfig>(configJson), rng),
        "window-lstm" => () => new WindowLstm(Parse<WindowLstmConfig>(configJson), rng),
        "perbin-transformer" => () => new PerBinTransformer(Parse<PerBinTransformerConfig>(configJson), rng),
        _ => () => throw Wrong(kind, Kinds, CountKinds, "counts clusters; a peak model", where),
    }, where);

    public static ICountModel CreateCounter(string kind, string? configJson, Rng rng, string where = "config") => Build<ICountModel>(kind switch
    {
        "count-transformer" => () => new CountTransformer(Parse<CountTransformerConfig>(configJson), rng),
        "onestep-counter" => () => new OneStepCounter(Parse<OneStepCounterConfig>(configJson), rng),
        _ => () => throw Wrong(kind, CountKinds, Kinds, "finds peaks; a cluster-count model", where),
    }, where);

    private static InputException Wrong(string kind, IReadOnlyList<string> expected, IReadOnlyList<string> other, string explanation, string where) =>
        other.Contains(kind)
            ? new InputException($"{where}: {kind} {explanation} (one of {string.Join(", ", expected)}) is needed here")
            : new InputException($"{where}: unknown model '{kind}' (expected one of {string.Join(", ", expected)})");

    private static T Build<T>(Func<T> build, string where)
    {
        try
        {
            return build();
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
