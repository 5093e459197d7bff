using System.Globalization;
using System.Text.Json;

namespace Peakformer.Evaluation;

/// <summary>One shifted simulation of a domain-shift study: a label and the simulator overrides (KEY=VALUE, as <c>simulate --set</c>).</summary>
public sealed record ShiftSet(string Label, IReadOnlyList<string> Overrides)
{
    public const string NominalLabel = "nominal";

    /// <summary>Sets separated by ';', overrides within a set by ',': <c>gain=0.8;noise_pink_rms=0.01,noise_pink_corner_mhz=2</c>.</summary>
    public static List<ShiftSet> ParseList(string text, string option = "--set-list")
    {
        var sets = new List<ShiftSet>();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var overrides = part.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var o in overrides)
                if (o.IndexOf('=') <= 0) throw new InputException($"{option}: expected KEY=VALUE in '{part}', found '{o}'");
            sets.Add(new ShiftSet(string.Join(",", overrides), overrides));
        }
        return sets;
    }

    /// <summary>A JSON file of label -> {key: value}: <c>{"gain 0.8": {"gain": 0.8}, "pink": {"noise_pink_rms": 0.01}}</c>.</summary>
    public static List<ShiftSet> ReadJson(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: expected a JSON object of label -> {{key: value}}, found invalid JSON ({JsonErrors.Reason(e)})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new InputException($"{path}: expected a JSON object of label -> {{key: value}}, found a {document.RootElement.ValueKind}");
            var sets = new List<ShiftSet>();
            foreach (var set in document.RootElement.EnumerateObject())
            {
                if (set.Value.ValueKind != JsonValueKind.Object)
                    throw new InputException($"{path}: {set.Name}: expected an object of simulator keys and values, found a {set.Value.ValueKind}");
                var overrides = set.Value.EnumerateObject().Select(kv => kv.Value.ValueKind switch
                {
                    JsonValueKind.Number => $"{kv.Name}={kv.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture)}",
                    JsonValueKind.True or JsonValueKind.False => $"{kv.Name}={kv.Value.GetBoolean()}",
                    _ => throw new InputException($"{path}: {set.Name}.{kv.Name}: expected a number or true/false, found a {kv.Value.ValueKind}"),
                }).ToList();
                sets.Add(new ShiftSet(set.Name, overrides));
            }
            return sets;
        }
    }
}
