using System.Globalization;

namespace Peakformer.Data;

/// <summary>One data row of a <see cref="CsvTable"/>: its line in the file and its fields, read as text, index or bounded number.</summary>
public readonly record struct CsvRow(string Path, long Line, string[] Fields)
{
    public string Text(int column, string name)
    {
        string text = Fields[column].Trim();
        return text.Length > 0 ? text : throw InputException.At(Path, Line, name, "a value", "an empty field");
    }

    public int Index(int column, string name)
    {
        string text = Text(column, name);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) && v >= 0 ? v
            : throw InputException.At(Path, Line, name, "a non-negative integer", $"'{text}'");
    }

    /// <summary>A finite number in (min, max] or [min, max] (<paramref name="zero"/>: whether min itself is allowed).</summary>
    public double Number(int column, string name, double min, double max, bool zero)
    {
        string text = Text(column, name);
        bool ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                  && double.IsFinite(v) && (zero ? v >= min : v > min) && v <= max;
        return ok ? v : throw InputException.At(Path, Line, name,
            $"a number {(zero ? "at least" : "above")} {Finite.Describe(min)} and at most {Finite.Describe(max)}", $"'{text}'");
    }
}
