using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peakformer.Learning.Models;

namespace Peakformer.Spectroscopy;

/// <summary>
/// Simulation settings (Raman spectra, TERS maps) with KEY=VALUE overrides applied (snake_case names of the record's
/// fields, e.g. <c>noise=0.05</c>, <c>line_shape=lorentzian</c>); an unknown key or a value of the wrong kind names the key.
/// </summary>
public static class SettingsOverrides
{
    public static T Apply<T>(T settings, IEnumerable<string> overrides, string where = "--set") where T : class
    {
        var json = JsonSerializer.SerializeToNode(settings, ModelJson.Options)!.AsObject();
        var known = json.Select(kv => kv.Key).ToHashSet();
        foreach (string item in overrides)
        {
            int eq = item.IndexOf('=');
            if (eq <= 0) throw InputException.At(null, null, where, "KEY=VALUE", $"'{item}'");
            string key = item[..eq].Trim(), text = item[(eq + 1)..].Trim();
            if (!known.Contains(key)) throw InputException.At(null, null, $"{where} {key}", $"one of the settings ({string.Join(", ", known.Order())})", "an unknown key");
            json[key] = bool.TryParse(text, out bool b) ? JsonValue.Create(b)
                : ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong u) ? JsonValue.Create(u)
                : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) ? JsonValue.Create(d)
                : JsonValue.Create(text.Replace('-', '_'));
        }
        try
        {
            return json.Deserialize<T>(ModelJson.Options)!;
        }
        catch (JsonException e)
        {
            throw InputException.At(null, null, $"{where} {e.Path?.TrimStart('$', '.')}", "a value of the setting's type", $"one that does not fit ({JsonErrors.Reason(e)})");
        }
    }
}
