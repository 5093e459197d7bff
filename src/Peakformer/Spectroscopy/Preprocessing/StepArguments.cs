using System.Globalization;

namespace Peakformer.Spectroscopy.Preprocessing;

/// <summary>
/// The text of one pipeline step, <c>name:arg:arg...</c>, and its typed arguments; every error names the step (its
/// place and text), the argument, what was expected and what was found.
/// </summary>
public sealed class StepArguments
{
    public StepArguments(string text, int position, string where)
    {
        (Text, Position, Where) = (text, position, where);
        var parts = text.Split(':');
        Name = parts[0].Trim().ToLowerInvariant();
        Values = parts.Skip(1).Select(p => p.Trim()).ToArray();
    }

    public string Text { get; }
    /// <summary>1-based place in the pipeline.</summary>
    public int Position { get; }
    public string Where { get; }
    public string Name { get; }
    public string[] Values { get; }

    public InputException Error(string field, string expected, string found) =>
        InputException.At(null, null, $"{Where}: step {Position} '{Text}': {field}", expected, found);

    /// <summary>No more than <paramref name="max"/> arguments, at least <paramref name="min"/>; <paramref name="usage"/> shows the form.</summary>
    public void Expect(int min, int max, string usage)
    {
        if (Values.Length < min || Values.Length > max)
            throw Error("arguments", $"{usage} ({(min == max ? $"{min}" : $"{min} to {max}")} after the name)", $"{Values.Length}");
    }

    public double Number(int index, string field, double min, double max, double? fallback = null)
    {
        if (index >= Values.Length && fallback is { } given) return given;
        string text = index < Values.Length ? Values[index] : "";
        bool ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= min && v <= max;
        return ok ? v : throw Error(field, $"a number in [{Finite.Describe(min)}, {Finite.Describe(max)}]", text.Length == 0 ? "nothing" : $"'{text}'");
    }

    public int Integer(int index, string field, int min, int max, int? fallback = null)
    {
        if (index >= Values.Length && fallback is { } given) return given;
        string text = index < Values.Length ? Values[index] : "";
        bool ok = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= min && v <= max;
        return ok ? v : throw Error(field, $"a whole number in [{min}, {max}]", text.Length == 0 ? "nothing" : $"'{text}'");
    }

    /// <summary>A number as a step writes it back: shortest round-trip text.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
