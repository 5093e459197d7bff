using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Inputs;

/// <summary>
/// Spectra as a folder with one sub-folder per class (its name the class name, classes in ordinal order), each
/// holding one two-column text file per spectrum (<see cref="TextSpectrum"/>; hidden files and folders are left out).
/// Spectra on other grids than the target (the given grid, else the first file's) are resampled onto it by linear
/// interpolation, said in one line.
/// </summary>
public static class TextSpectrumFolder
{
    public static SpectrumSet Read(string folder, SpectralGrid? grid, Action<string> note)
    {
        static bool Visible(string p) => !Path.GetFileName(p).StartsWith('.');
        var classes = Directory.EnumerateDirectories(folder).Where(Visible).Order(StringComparer.Ordinal).ToArray();
        if (classes.Length == 0)
            throw InputException.At(folder, null, "layout", "one sub-folder per class holding two-column text files (shift intensity), or X.npy and y.npy", "no sub-folder");
        double[]? target = grid?.Values();
        string? targetFrom = grid is null ? null : "--grid";
        var values = new List<float>();
        var labels = new List<int>();
        int resampled = 0;
        for (int k = 0; k < classes.Length; k++)
        {
            var files = Directory.EnumerateFiles(classes[k]).Where(Visible).Order(StringComparer.Ordinal).ToArray();
            if (files.Length == 0) throw InputException.At(classes[k], null, "class folder", "at least one spectrum file", "none");
            foreach (string file in files)
            {
                var (shifts, intensities) = TextSpectrum.Read(file);
                if (target is null)
                {
                    target = shifts;
                    targetFrom = file;
                }
                if (values.Count + (long)target.Length > SpectrumSet.MaxValues)
                    throw InputException.At(file, null, "spectra", $"at most {SpectrumSet.MaxValues} values in one set", "more files");
                int at = values.Count;
                values.AddRange(new float[target.Length]);
                var output = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(values).Slice(at, target.Length);
                if (shifts.AsSpan().SequenceEqual(target))
                    for (int i = 0; i < target.Length; i++) output[i] = (float)intensities[i];
                else
                {
                    CommonGrid.Resample(shifts, intensities, target, output, file);
                    resampled++;
                }
                labels.Add(k);
            }
        }
        if (resampled > 0)
            note($"{folder}: {resampled:N0} of {labels.Count:N0} spectra resampled onto the grid of {targetFrom} ({Finite.Describe(target![0])}..{Finite.Describe(target[^1])} cm^-1, {target.Length} points), linear interpolation");
        return new SpectrumSet([.. values], [.. labels], classes.Select(Path.GetFileName).ToArray()!, target!);
    }
}
