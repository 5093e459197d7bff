using Peakformer.Data;

namespace Peakformer.Spectroscopy.Simulation;

/// <summary>
/// A user's stick spectra (e.g. from a DFT calculation) as CSV under the header <c>class,shift_cm1,intensity</c>,
/// with an optional <c>fwhm_cm1</c> column (else every band gets <paramref name="fwhm"/>): one row per band, classes in
/// the order they first appear. Intensities are integrated intensities (the broadened band's area), at least 0.
/// </summary>
public static class StickTableCsv
{
    public const string Header = "class,shift_cm1,intensity[,fwhm_cm1]";

    public static ClassBands[] Read(string path, double fwhm)
    {
        using var table = CsvTable.Open(path, $"a header {Header}");
        int name = table.Column("class", Header), shift = table.Column("shift_cm1", Header), intensity = table.Column("intensity", Header);
        int width = table.Has("fwhm_cm1") ? table.Column("fwhm_cm1", Header) : -1;
        var classes = new List<(string Name, List<Band> Bands)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in table.Rows())
        {
            string cls = row.Text(name, "class");
            var band = new Band(row.Number(shift, "shift_cm1", -1e6, 1e6, zero: true), row.Number(intensity, "intensity", 0, 1e30, zero: true),
                width >= 0 ? row.Number(width, "fwhm_cm1", 0, 1e6, zero: false) : fwhm);
            if (!index.TryGetValue(cls, out int c))
            {
                index[cls] = c = classes.Count;
                classes.Add((cls, []));
            }
            classes[c].Bands.Add(band);
        }
        if (classes.Count < 2) throw InputException.At(path, null, "class", "at least 2 classes", $"{classes.Count}");
        foreach (var (cls, bands) in classes)
            if (bands.All(b => b.Intensity == 0)) throw InputException.At(path, null, $"class {cls}", "a band of positive intensity", "only zero intensities");
        return classes.Select(c => new ClassBands(c.Name, c.Bands.OrderBy(b => b.Shift).ToList())).ToArray();
    }
}
