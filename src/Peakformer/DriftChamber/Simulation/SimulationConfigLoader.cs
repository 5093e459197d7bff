using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peakformer.Engine.Files;
using YamlDotNet.RepresentationModel;

namespace Peakformer.DriftChamber.Simulation;

/// <summary>
/// Builds a <see cref="SimulationConfig"/>: a preset, then a YAML or JSON file of overrides, then KEY=VALUE
/// overrides from the command line. Keys are the snake_case names of the config fields; an unknown key or a value
/// of the wrong kind is an error naming the file, line and key.
/// </summary>
public static class SimulationConfigLoader
{
    /// <summary>A config is a few dozen keys: anything larger is not one (and /dev/zero never ends).</summary>
    public const long MaxConfigBytes = 1 << 20;

    // A config is flat; YAML's parser recurses on nesting, so deep nesting is refused before it can exhaust the stack.
    private const int MaxYamlNesting = 32;

    public static SimulationConfig Load(string preset, string? file, IEnumerable<string> overrides)
    {
        var json = JsonSerializer.SerializeToNode(Presets.Get(preset), SimulationConfig.JsonAllKeys)!.AsObject();
        var known = json.Select(kv => kv.Key).ToHashSet();
        if (file is not null)
            foreach (var (key, value, line) in ReadFile(file))
                Apply(json, known, key, value, file, line);
        foreach (var item in overrides)
        {
            int eq = item.IndexOf('=');
            if (eq <= 0) throw new InputException($"--set: expected KEY=VALUE, found '{item}'");
            string key = item[..eq].Trim();
            Apply(json, known, key, ParseScalar(item[(eq + 1)..].Trim(), "--set", null, key), "--set", null);
        }
        SimulationConfig config;
        try
        {
            config = json.Deserialize<SimulationConfig>(SimulationConfig.Json)!;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            // A value of the wrong kind (a string or object where a number belongs...): System.Text.Json names the field in Path.
            string field = e is JsonException j ? j.Path?.TrimStart('$', '.') ?? "?" : "?";
            string reason = e is JsonException je ? JsonErrors.Reason(je) : e.Message.Split('\n')[0];
            throw new InputException($"{file ?? "--set"}: {field}: expected a value of the field's type ({reason})");
        }
        config.Validate(file ?? "config");
        return config;
    }

    private static void Apply(JsonObject json, HashSet<string> known, string key, JsonNode? value, string where, long? line)
    {
        if (!known.Contains(key))
            throw InputException.At(where, line, key, $"one of the config keys ({string.Join(", ", known.Order())})", "an unknown key");
        if (key == "preset") throw InputException.At(where, line, key, "a parameter (choose the preset with --preset)", "preset");
        json[key] = value;
    }

    /// <summary>A scalar written as text (YAML or --set): null, true/false, an integer, a finite number, or a string.</summary>
    private static JsonNode? ParseScalar(string text, string where, long? line, string key)
    {
        if (text is "null" or "~") return null;
        if (bool.TryParse(text, out bool b)) return JsonValue.Create(b);
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long l)) return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            return double.IsFinite(d) ? JsonValue.Create(d) : throw InputException.At(where, line, key, "a finite number", text);
        return JsonValue.Create(text);
    }

    // Deepest nesting of flow collections ([ and {, outside quotes) or of block indentation (two spaces a level), and its line.
    private static (int Depth, long Line) YamlNesting(string text)
    {
        int depth = 0, deepest = 0;
        long line = 1, at = 1;
        bool atLineStart = true, comment = false;
        int indent = 0;
        char quote = '\0';
        foreach (char c in text)
        {
            if (c == '\n')
            {
                // Quotes and comments end with the line here: that only counts more nesting, never less.
                (line, atLineStart, comment, indent, quote) = (line + 1, true, false, 0, '\0');
                continue;
            }
            if (atLineStart && c == ' ') { indent++; continue; }
            if (atLineStart)
            {
                atLineStart = false;
                if (indent / 2 > deepest) (deepest, at) = (indent / 2, line);
            }
            if (comment) continue;
            if (quote != '\0') { if (c == quote) quote = '\0'; continue; }
            if (c == '#') comment = true;
            else if (c is '"' or '\'') quote = c;
            else if (c is '[' or '{' && ++depth > deepest) (deepest, at) = (depth, line);
            else if (c is ']' or '}' && depth > 0) depth--;
        }
        return (deepest, at);
    }

    private static IEnumerable<(string Key, JsonNode? Value, long? Line)> ReadFile(string path)
    {
        if (NativeFiles.WhyNotInput(path, MaxConfigBytes) is { } why) throw new InputException($"--config {path}: {why}");
        string text = File.ReadAllText(path);
        if (path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            JsonObject obj;
            try
            {
                // Duplicate keys are refused while parsing (JsonNode would otherwise fail later with an ArgumentException).
                obj = JsonNode.Parse(text, null, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 }) as JsonObject
                    ?? throw new InputException($"{path}: expected a JSON object of config keys");
            }
            catch (JsonException e)
            {
                throw new InputException($"{path}:{(e.LineNumber ?? 0) + 1}: invalid JSON ({e.Message.Split('.')[0]})");
            }
            // JsonNode keeps no line numbers: errors name the file and the key.
            foreach (var (key, value) in obj.ToList()) yield return (key, value?.DeepClone(), null);
            yield break;
        }
        if (YamlNesting(text) is var (depth, line) && depth > MaxYamlNesting)
            throw InputException.At(path, line, null, $"a flat config (at most {MaxYamlNesting} levels of nesting)", $"{depth} levels");
        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new InputException($"{path}:{e.Start.Line}: invalid YAML ({e.Message})");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 16.3's scanner throws this, without a position, on some malformed plain scalars (found by
            // the mutation tests: seven '{' inserted into a value).
            throw new InputException($"{path}: invalid YAML (the parser stopped on a malformed value)");
        }
        if (yaml.Documents.Count == 0) yield break;
        if (yaml.Documents[0].RootNode is not YamlMappingNode map)
            throw new InputException($"{path}:1: expected a mapping of config keys");
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
                throw InputException.At(path, keyNode.Start.Line, "key", "a config key (plain text)", keyNode is YamlScalarNode ? "an empty key" : "a list or mapping used as a key");
            if (valueNode is not YamlScalarNode scalar)
                throw InputException.At(path, keyNode.Start.Line, key, "a single value", "a list or mapping");
            yield return (key, ParseScalar(scalar.Value ?? "null", path, keyNode.Start.Line, key), keyNode.Start.Line);
        }
    }
}
