using System.Globalization;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Inputs;

/// <summary>
/// One spectrum as an instrument's two-column text export: per line a Raman shift and an intensity, separated by
/// spaces, tabs, commas or semicolons; '#' starts a comment; lines that are not two numbers are taken for a header
/// before the first data line and are an error after it. The shifts must be strictly increasing or strictly
/// decreasing (turned round); at most <see cref="SpectralGrid.MaxPoints"/> points and <see cref="MaxBytes"/> bytes.
/// </summary>
public static class TextSpectrum
{
    public const long MaxBytes = 64L << 20;
    private static readonly char[] Separators = [' ', '\t', ',', ';'];

    public static (double[] Shifts, double[] Values) Read(string path)
    {
        var info = new FileInfo(path);
        if (info.Length > MaxBytes) throw InputException.At(path, null, "size", $"at most {MaxBytes} bytes (a spectrum of at most {SpectralGrid.MaxPoints} points)", $"{info.Length} bytes");
        var shifts = new List<double>();
        var values = new List<double>();
        long number = 0;
        foreach (string raw in File.ReadLines(path))
        {
            number++;
            int hash = raw.IndexOf('#');
            string line = (hash < 0 ? raw : raw[..hash]).Trim();
            if (number == 1) line = Data.CsvField.WithoutBom(line);
            if (line.Length == 0) continue;
            var fields = line.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 2
                && double.TryParse(fields[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double shift) && double.IsFinite(shift)
                && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            {
                if (shifts.Count == SpectralGrid.MaxPoints) throw InputException.At(path, number, "points", $"at most {SpectralGrid.MaxPoints}", "more lines");
                shifts.Add(shift);
                values.Add(value);
                continue;
            }
            if (shifts.Count == 0 && number <= 100) continue; // a header line
            throw InputException.At(path, number, "line", "two finite numbers, shift and intensity", $"'{Clip(raw)}'");
        }
        if (shifts.Count < 2) throw InputException.At(path, null, "points", "at least 2 lines of shift and intensity", $"{shifts.Count}");
        bool decreasing = shifts[1] < shifts[0];
        for (int k = 1; k < shifts.Count; k++)
            if (decreasing ? !(shifts[k] < shifts[k - 1]) : !(shifts[k] > shifts[k - 1]))
                throw InputException.At(path, null, $"shift of point {k + 1}", $"shifts in strictly {(decreasing ? "decreasing" : "increasing")} order", $"{Finite.Describe(shifts[k])} after {Finite.Describe(shifts[k - 1])}");
        if (decreasing)
        {
            shifts.Reverse();
            values.Reverse();
        }
        return ([.. shifts], [.. values]);
    }

    private static string Clip(string line) => line.Length <= 60 ? line : line[..60] + "...";
}
