using Peakformer.Data.Npy;

namespace Peakformer.Spectroscopy.Spectra;

/// <summary>
/// A <see cref="SpectrumSet"/> as .npz: X [N, L] float32 (float64 also read), y [N] int64 (any integer type read),
/// class_names [K] text, wavenumbers [L] float64, and 0-d text arrays generator_json and preprocessing_json when known.
/// The layout of public Raman sets (X, y, wavenumbers) is the core; class_names and wavenumbers may be missing on
/// reading (classes 0..K-1, points 0..L-1); the checks are <see cref="SpectrumArrays"/>'s.
/// </summary>
public static class SpectrumSetFile
{
    public static void Write(SpectrumSet set, string path)
    {
        using var writer = new NpzWriter(path);
        writer.Add("X", NpyArray.Of(set.Values, set.Count, set.Length));
        writer.Add("y", NpyArray.Of(Array.ConvertAll(set.Labels, l => (long)l), set.Count));
        writer.Add("class_names", NpyArray.Of(set.ClassNames.ToArray()));
        writer.Add("wavenumbers", NpyArray.Of(set.Wavenumbers, set.Length));
        if (set.GeneratorJson is not null) writer.Add("generator_json", NpyArray.Scalar(set.GeneratorJson));
        if (set.PreprocessingJson is not null) writer.Add("preprocessing_json", NpyArray.Scalar(set.PreprocessingJson));
        writer.Commit();
    }

    public static SpectrumSet Read(string path)
    {
        using var npz = new NpzReader(path);
        var x = npz.Require("X");
        var y = npz.Require("y");
        string[] names = npz.Contains("class_names") ? npz.Read("class_names").As<string>($"{path} [class_names]") : [];
        var axis = npz.Contains("wavenumbers") ? npz.Read("wavenumbers") : null;
        string? generator = npz.Contains("generator_json") ? Text(npz, "generator_json") : null;
        string? preprocessing = npz.Contains("preprocessing_json") ? Text(npz, "preprocessing_json") : null;
        return SpectrumArrays.Build(true, path, x, path, y, names, path, axis, generator, preprocessing);
    }

    private static string Text(NpzReader npz, string key)
    {
        var array = npz.Read(key);
        var text = array.As<string>($"{npz.Path} [{key}]");
        return text.Length == 1 ? text[0] : throw InputException.At(npz.Path, null, key, "one text value", $"{text.Length}");
    }
}
