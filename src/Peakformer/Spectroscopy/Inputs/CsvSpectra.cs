using System.Globalization;
using Peakformer.Data;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Inputs;

/// <summary>
/// Spectra as a CSV (<see cref="CsvTable"/>): a header of Raman shifts (numbers, cm^-1, strictly increasing or
/// strictly decreasing; a decreasing axis is turned round) and one label column (names or class indices,
/// <see cref="SpectrumLabels"/>), then one spectrum per row. Read row by row, at most <see cref="SpectrumSet.MaxValues"/> values.
/// </summary>
public static class CsvSpectra
{
    /// <param name="labelsOptional">A CSV without the label column reads unlabelled (<see cref="SpectrumSet.Unlabelled"/>): every column a shift.</param>
    public static SpectrumSet Read(string path, string labelColumn, bool labelsOptional = false)
    {
        using var table = CsvTable.Open(path, $"Raman shifts and a '{labelColumn}' column");
        bool labelled = !labelsOptional || table.Columns.Contains(labelColumn);
        int labelAt = labelled ? table.Column(labelColumn, "each row's class") : -1;
        var names = table.Columns;
        var columns = new List<int>();
        var shifts = new List<double>();
        for (int c = 0; c < names.Count; c++)
        {
            if (c == labelAt) continue;
            if (!double.TryParse(names[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double shift) || !double.IsFinite(shift))
                throw InputException.At(path, 1, $"column {c + 1}", $"a Raman shift in cm^-1 (a number) or the '{labelColumn}' column", $"'{names[c]}'");
            columns.Add(c);
            shifts.Add(shift);
        }
        if (shifts.Count < 1 || shifts.Count > SpectralGrid.MaxPoints)
            throw InputException.At(path, 1, "header", $"1 to {SpectralGrid.MaxPoints} shift columns", $"{shifts.Count}");
        bool decreasing = shifts.Count > 1 && shifts[1] < shifts[0];
        for (int k = 1; k < shifts.Count; k++)
            if (decreasing ? !(shifts[k] < shifts[k - 1]) : !(shifts[k] > shifts[k - 1]))
                throw InputException.At(path, 1, $"column {columns[k] + 1}", $"shifts in strictly {(decreasing ? "decreasing" : "increasing")} order", $"'{names[columns[k]]}' after '{names[columns[k - 1]]}'");
        if (decreasing)
        {
            columns.Reverse();
            shifts.Reverse();
        }
        int length = shifts.Count;
        var values = new List<float>();
        var labels = new List<string>();
        foreach (var row in table.Rows())
        {
            if (values.Count + (long)length > SpectrumSet.MaxValues)
                throw InputException.At(path, row.Line, null, $"at most {SpectrumSet.MaxValues} values in one set", "more rows");
            if (labelled) labels.Add(row.Text(labelAt, labelColumn));
            foreach (int c in columns) values.Add((float)row.Number(c, names[c], -float.MaxValue, float.MaxValue, zero: true));
        }
        int count = values.Count / length;
        if (count == 0) throw InputException.At(path, 2, null, "at least one spectrum after the header", "none");
        if (!labelled) return SpectrumSet.Unlabelled([.. values], count, [.. shifts]);
        var (indices, classNames) = SpectrumLabels.Of(labels);
        return new SpectrumSet([.. values], indices, classNames, [.. shifts]);
    }
}
