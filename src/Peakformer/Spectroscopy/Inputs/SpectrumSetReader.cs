using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Inputs;

/// <summary>
/// The one entry point that reads labelled spectra from a user's path (preprocess, and the spectrum task):
/// <list type="bullet">
/// <item>an .npz as <see cref="SpectrumSetFile"/> writes it (X, y, optional class_names and wavenumbers);</item>
/// <item>a bare X .npy [N, L] (float32 or float64) with its labels y [N] and optional shift axis [L]: given, or found
/// beside it by name (X.npy -> y.npy, X_test.npy -> y_test.npy; wavenumbers.npy), the public layout of the
/// bacteria-ID Raman set; a folder holding X.npy and y.npy reads the same way (<see cref="NpySpectra"/>);</item>
/// <item>a .csv with one spectrum per row under a header of shifts and a label column (<see cref="CsvSpectra"/>);</item>
/// <item>a folder with one sub-folder per class of two-column text files, shift and intensity (<see cref="TextSpectrumFolder"/>).</item>
/// </list>
/// Spectra on different grids are resampled onto one (the first spectrum's, or <see cref="SpectrumReadOptions.Grid"/>)
/// and <paramref name="note"/> is told so in one line.
/// </summary>
public static class SpectrumSetReader
{
    public static SpectrumSet Read(string path, SpectrumReadOptions options, Action<string> note)
    {
        options.Validate();
        bool npy = path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) || (Directory.Exists(path) && File.Exists(Path.Combine(path, NpySpectra.XFile)));
        if (!npy && (options.Labels is not null || options.Wavenumbers is not null))
            throw InputException.At(path, null, options.Labels is not null ? "--labels" : "--wavenumbers", "an X .npy (or a folder of X.npy, y.npy) to go with it", "another kind of input");
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) && options.LabelColumn != SpectrumReadOptions.Default.LabelColumn)
            throw InputException.At(path, null, "--label-column", "a .csv to go with it", "another kind of input");
        SpectrumSet set;
        if (npy) set = NpySpectra.Read(path, options.Labels, options.Wavenumbers, note, options.LabelsOptional);
        else if (Directory.Exists(path)) set = TextSpectrumFolder.Read(path, options.Grid, note);
        else if (!File.Exists(path)) throw InputException.At(path, null, "--data", "an .npz, .npy, .csv or a folder of spectra", "nothing at that path");
        else if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)) set = SpectrumSetFile.Read(path);
        else if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) set = CsvSpectra.Read(path, options.LabelColumn, options.LabelsOptional);
        else throw InputException.At(path, null, "--data", "an .npz, .npy, .csv or a folder of spectra", $"a file named {Path.GetFileName(path)}");
        // A text folder is brought onto the grid as it is read.
        var read = options.Grid is { } grid && !(Directory.Exists(path) && !npy) ? CommonGrid.Onto(set, grid.Values(), path, note) : set;
        return set.Labelled ? read : SpectrumSet.Unlabelled(read.Values, read.Count, read.Wavenumbers);
    }
}
