using System.Globalization;

namespace Peakformer.DriftChamber.Finders;

/// <summary>
/// A peak or counting method as written on the command line or stored in a checkpoint: "truth", "truth-peaks",
/// "deriv", "d2", "deriv:N1,N2,N3,N4", "d2:T1,T2", or a checkpoint "MODEL.safetensors", optionally at another
/// decision threshold "MODEL.safetensors@0.9". Every command (count, evaluate, pid, train --peaks-from, the
/// quickstart) and every checkpoint's peaks_from is read by <see cref="Parse"/>, so they accept and refuse the same.
/// </summary>
public sealed record MethodSpec
{
    public required MethodKind Kind { get; init; }
    /// <summary>The spec as given.</summary>
    public required string Text { get; init; }
    /// <summary>Classical: "deriv" or "d2"; else empty.</summary>
    public string Finder { get; init; } = "";
    /// <summary>Classical: the explicit thresholds (4 for deriv, 2 for d2), or null for the tuned / typical ones.</summary>
    public double[]? Thresholds { get; init; }
    /// <summary>Model: the checkpoint path as given; else empty.</summary>
    public string Path { get; init; } = "";
    /// <summary>Model: the decision threshold after "@", or null for the checkpoint's own.</summary>
    public double? Threshold { get; init; }

    /// <summary>
    /// Reads <paramref name="spec"/>, accepting only the given kinds; a bad spec or a checkpoint that is not there is an
    /// <see cref="InputException"/> naming <paramref name="option"/>, what it accepts and what it found.
    /// </summary>
    public static MethodSpec Parse(string spec, string option, params MethodKind[] accepted)
    {
        string name = spec.Trim().ToLowerInvariant();
        if (name == "truth" && accepted.Contains(MethodKind.Truth)) return new() { Kind = MethodKind.Truth, Text = spec };
        if (name == "truth-peaks" && accepted.Contains(MethodKind.TruthPeaks)) return new() { Kind = MethodKind.TruthPeaks, Text = spec };
        if (accepted.Contains(MethodKind.Classical))
        {
            if (ClassicalFinders.Contains(name)) return new() { Kind = MethodKind.Classical, Text = spec, Finder = name };
            if (name.StartsWith("deriv:") || name.StartsWith("d2:")) return Classical(spec, name, option);
        }
        if (!accepted.Contains(MethodKind.Model)) throw Expected(option, accepted, spec, "");
        var (path, threshold) = SplitThreshold(spec, option);
        if (!File.Exists(path)) throw Expected(option, accepted, spec, " (no such file)");
        return new() { Kind = MethodKind.Model, Text = spec, Path = path, Threshold = threshold };
    }

    /// <summary>
    /// A comma list of specs ("model.safetensors,deriv:1,2,3,4,d2"): the numbers after "deriv:" or "d2:" stay with
    /// their finder (a bare number is never a spec of its own). Does not check the specs (<see cref="Parse"/> does).
    /// </summary>
    public static List<string> SplitList(string? text)
    {
        var specs = new List<string>();
        foreach (string piece in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            bool number = double.TryParse(piece, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            if (number && specs.Count > 0 && (specs[^1].StartsWith("deriv:", StringComparison.OrdinalIgnoreCase) || specs[^1].StartsWith("d2:", StringComparison.OrdinalIgnoreCase)))
                specs[^1] += "," + piece;
            else specs.Add(piece);
        }
        return specs;
    }

    /// <summary>The classical finders by name, with tuned or typical thresholds.</summary>
    public static readonly IReadOnlyList<string> ClassicalFinders = ["deriv", "d2"];

    /// <summary>A classical finder's name as a list option gives it (--classical): one of <see cref="ClassicalFinders"/>, else an InputException.</summary>
    public static string ClassicalFinder(string name, string option) =>
        ClassicalFinders.Contains(name) ? name : throw new InputException($"{option}: expected {string.Join(" or ", ClassicalFinders)}, found '{name}'");

    /// <summary>
    /// "model.safetensors@0.9" → (model.safetensors, 0.9); without "@" the threshold is null. An "@" followed by
    /// something other than a number belongs to the path (a folder named user@host). Does not look for the file.
    /// </summary>
    public static (string Path, double? Threshold) SplitThreshold(string spec, string option)
    {
        int at = spec.LastIndexOf('@');
        if (at < 0 || !double.TryParse(spec[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double t))
            return (spec, null);
        if (!(t > 0 && t < 1)) throw new InputException($"{option}: expected MODEL@THRESHOLD with a threshold in (0, 1), found '{spec}'");
        return (spec[..at], t);
    }

    private static MethodSpec Classical(string spec, string name, string option)
    {
        var parts = name.Split(':', 2);
        var values = parts[1].Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) ? x : double.NaN).ToArray();
        int wanted = parts[0] == "deriv" ? 4 : 2;
        if (values.Length != wanted || !values.All(v => v >= 0 && double.IsFinite(v)))
            throw new InputException($"{option}: expected deriv:N1,N2,N3,N4 or d2:T1,T2 with non-negative numbers, found '{spec}'");
        return new() { Kind = MethodKind.Classical, Text = spec, Finder = parts[0], Thresholds = values };
    }

    private static InputException Expected(string option, MethodKind[] accepted, string spec, string why)
    {
        var words = accepted.Select(k => k switch
        {
            MethodKind.Truth => "truth",
            MethodKind.TruthPeaks => "truth-peaks",
            MethodKind.Classical => "deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2",
            _ => "a model checkpoint (MODEL or MODEL@THRESHOLD)",
        });
        return new InputException($"{option}: expected {string.Join(", ", words)}, found '{spec}'{why}");
    }
}
