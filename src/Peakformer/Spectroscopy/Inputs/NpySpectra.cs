using Peakformer.Data.Images;
using Peakformer.Data.Npy;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Inputs;

/// <summary>
/// Spectra as bare .npy files, the layout of public Raman sets such as the bacteria-ID set (X_reference.npy,
/// y_reference.npy, wavenumbers.npy): X [N, L] float32 or float64, y [N] integers (or float64 whole numbers), an
/// optional shift axis [L]. Labels and axis are given, or found beside X by name: X.npy -> y.npy, X_test.npy ->
/// y_test.npy (the leading X becomes y), and wavenumbers.npy; a folder holding X.npy reads as its X.npy. Class names
/// from a classes.txt beside X (one per line, as for images), else 0..K-1. Each file is held whole, bounded by
/// its size and <see cref="SpectrumSet.MaxValues"/>.
/// </summary>
public static class NpySpectra
{
    public const string XFile = "X.npy", AxisFile = "wavenumbers.npy";

    /// <param name="labelsOptional">No labels given or beside X: read the spectra unlabelled (<see cref="SpectrumSet.Unlabelled"/>) instead of failing.</param>
    public static SpectrumSet Read(string path, string? labels, string? wavenumbers, Action<string> note, bool labelsOptional = false)
    {
        string x = Directory.Exists(path) ? Path.Combine(path, XFile) : path;
        string folder = Path.GetDirectoryName(Path.GetFullPath(x))!;
        string name = Path.GetFileName(x);
        string? y = labels;
        if (y is null && labelsOptional && !(name.StartsWith('X') && File.Exists(Path.Combine(folder, "y" + name[1..]))))
            return Unlabelled(x, folder, wavenumbers, note);
        if (y is null)
        {
            if (!name.StartsWith('X')) throw InputException.At(x, null, "--labels", $"the labels' .npy (found beside X only for files named X*.npy)", "none given");
            y = Path.Combine(folder, "y" + name[1..]);
            if (!File.Exists(y)) throw InputException.At(x, null, "labels", $"y{name[1..]} beside it (or --labels y.npy)", "no such file");
        }
        string? axis = wavenumbers ?? (File.Exists(Path.Combine(folder, AxisFile)) ? Path.Combine(folder, AxisFile) : null);
        string classes = Path.Combine(folder, ImageClassNames.FileName);
        string[] names = File.Exists(classes) ? [.. ImageClassNames.Read(classes)] : [];
        note($"{x}: labels from {y}, shifts from {axis ?? "nowhere (points numbered 0..L-1)"}{(names.Length > 0 ? $", class names from {classes}" : "")}");
        var set = SpectrumArrays.Build(false, x, NpyFile.Read(x, SpectrumSet.MaxValues), y, NpyFile.Read(y, SpectrumSet.MaxValues), names,
            axis, axis is null ? null : NpyFile.Read(axis, SpectralGrid.MaxPoints));
        return set;
    }

    private static SpectrumSet Unlabelled(string x, string folder, string? wavenumbers, Action<string> note)
    {
        string? axis = wavenumbers ?? (File.Exists(Path.Combine(folder, AxisFile)) ? Path.Combine(folder, AxisFile) : null);
        note($"{x}: no labels (none given, none beside it), shifts from {axis ?? "nowhere (points numbered 0..L-1)"}");
        var values = NpyFile.Read(x, SpectrumSet.MaxValues);
        long n = values.Shape.Length == 2 ? values.Shape[0] : 0;
        // Labels of one class stand in, so X, its axis and their checks are read as for a labelled set.
        var y = new NpyArray(NpyType.Int64, [n], new long[n]);
        var set = SpectrumArrays.Build(false, x, values, x, y, [SpectrumSet.UnlabelledClass], axis, axis is null ? null : NpyFile.Read(axis, SpectralGrid.MaxPoints));
        return SpectrumSet.Unlabelled(set.Values, set.Count, set.Wavenumbers);
    }
}
