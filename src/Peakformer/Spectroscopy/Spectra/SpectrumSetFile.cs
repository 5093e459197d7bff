using Peakformer.Data.Npy;

namespace Peakformer.Spectroscopy.Spectra;

/// <summary>
/// A <see cref="SpectrumSet"/> as .npz: X [N, L] float32 (float64 also read), y [N] int64 (any integer type read),
/// class_names [K] text, wavenumbers [L] float64, and 0-d text arrays generator_json and preprocessing_json when known.
/// The layout of public Raman sets (X, y, wavenumbers) is the core; class_names and wavenumbers may be missing on
/// reading (classes 0..K-1, points 0..L-1).
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
        if (x.Shape.Length != 2 || x.Shape[0] < 1 || x.Shape[1] < 1)
            throw InputException.At(path, null, "X", "a 2D array [N spectra, L points] with N, L >= 1", $"shape ({string.Join(", ", x.Shape)})");
        int n = checked((int)x.Shape[0]), length = checked((int)x.Shape[1]);
        float[] values = x.Values switch
        {
            float[] f => f,
            double[] d => Array.ConvertAll(d, v => (float)v),
            _ => throw InputException.At(path, null, "X", "float32 or float64", x.Descriptor),
        };
        Finite.RequireRows(values, length, 0, path, "spectrum", "point");

        var y = npz.Require("y");
        long[] raw = y.ToLongs($"{path} [y]");
        if (raw.Length != n) throw InputException.At(path, null, "y", $"{n} labels (one per row of X)", $"{raw.Length}");
        string[] names = npz.Contains("class_names") ? npz.Read("class_names").As<string>($"{path} [class_names]") : [];
        // Without class_names the labels name the classes 0..max: at most one class per spectrum, so a label far
        // beyond the data cannot make the reader build a billion names.
        long classes = names.Length > 0 ? names.Length : raw.Length == 0 ? 0 : Math.Min(raw.Max(), n - 1L) + 1;
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (raw[i] < 0 || raw[i] >= classes)
                throw InputException.At(path, null, $"y[{i}]", names.Length > 0 ? $"a class index in [0, {classes - 1}]" : $"a class index in [0, {classes - 1}] (no class_names: at most one class per spectrum)",
                    raw[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            labels[i] = (int)raw[i];
        }
        if (names.Length == 0) names = Enumerable.Range(0, (int)classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

        double[] axis;
        if (npz.Contains("wavenumbers"))
        {
            axis = npz.Read("wavenumbers").ToDoubles($"{path} [wavenumbers]");
            if (axis.Length != length) throw InputException.At(path, null, "wavenumbers", $"{length} values (one per column of X)", $"{axis.Length}");
            for (int k = 0; k < length; k++)
                if (!double.IsFinite(axis[k]) || (k > 0 && !(axis[k] > axis[k - 1])))
                    throw InputException.At(path, null, $"wavenumbers[{k}]", "finite values in strictly increasing order", Finite.Describe(axis[k]));
        }
        else
        {
            axis = new double[length];
            for (int k = 0; k < length; k++) axis[k] = k;
        }
        string? generator = npz.Contains("generator_json") ? Text(npz, "generator_json") : null;
        string? preprocessing = npz.Contains("preprocessing_json") ? Text(npz, "preprocessing_json") : null;
        return new SpectrumSet(values, labels, names, axis, generator, preprocessing);
    }

    private static string Text(NpzReader npz, string key)
    {
        var array = npz.Read(key);
        var text = array.As<string>($"{npz.Path} [{key}]");
        return text.Length == 1 ? text[0] : throw InputException.At(npz.Path, null, key, "one text value", $"{text.Length}");
    }
}
