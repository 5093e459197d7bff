using System.Globalization;
using Peakformer.Data.Npy;

namespace Peakformer.Spectroscopy.Spectra;

/// <summary>
/// A <see cref="SpectrumSet"/> from the arrays of a spectra file, checked: X [N, L] float32 or float64, finite; y [N]
/// integers naming classes (without class names at most one class per spectrum, so a label far beyond the data
/// cannot make the reader build a billion names); wavenumbers [L] finite and strictly increasing (missing: 0..L-1).
/// Each array comes with where it was read: <paramref name="xFile"/> and so on name the file, and an array of an .npz
/// is named "file [key]" (<paramref name="zipped"/>), a bare .npy by its file.
/// </summary>
public static class SpectrumArrays
{
    public static SpectrumSet Build(bool zipped, string xFile, NpyArray x, string yFile, NpyArray y, string[] names,
        string? axisFile, NpyArray? axisArray, string? generator = null, string? preprocessing = null)
    {
        string Where(string file, string key) => zipped ? $"{file} [{key}]" : file;
        if (x.Shape.Length != 2 || x.Shape[0] < 1 || x.Shape[1] < 1)
            throw InputException.At(xFile, null, "X", "a 2D array [N spectra, L points] with N, L >= 1", $"shape ({string.Join(", ", x.Shape)})");
        int n = checked((int)x.Shape[0]), length = checked((int)x.Shape[1]);
        if (length > SpectralGrid.MaxPoints) throw InputException.At(xFile, null, "X", $"at most {SpectralGrid.MaxPoints} points per spectrum", $"{length}");
        float[] values = x.Values switch
        {
            float[] f => f,
            double[] d => Array.ConvertAll(d, v => (float)v),
            _ => throw InputException.At(xFile, null, "X", "float32 or float64", x.Descriptor),
        };
        Finite.RequireRows(values, length, 0, xFile, "spectrum", "point");

        long[] raw = Labels(yFile, y, Where(yFile, "y"));
        if (raw.Length != n) throw InputException.At(yFile, null, "y", $"{n} labels (one per row of X)", $"{raw.Length}");
        long classes = names.Length > 0 ? names.Length : raw.Length == 0 ? 0 : Math.Min(raw.Max(), n - 1L) + 1;
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (raw[i] < 0 || raw[i] >= classes)
                throw InputException.At(yFile, null, $"y[{i}]", names.Length > 0 ? $"a class index in [0, {classes - 1}]" : $"a class index in [0, {classes - 1}] (no class_names: at most one class per spectrum)",
                    raw[i].ToString(CultureInfo.InvariantCulture));
            labels[i] = (int)raw[i];
        }
        if (names.Length == 0) names = Enumerable.Range(0, (int)classes).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();

        double[] axis;
        if (axisArray is not null)
        {
            axis = axisArray.ToDoubles(Where(axisFile!, "wavenumbers"));
            if (axis.Length != length) throw InputException.At(axisFile, null, "wavenumbers", $"{length} values (one per column of X)", $"{axis.Length}");
            for (int k = 0; k < length; k++)
                if (!double.IsFinite(axis[k]) || (k > 0 && !(axis[k] > axis[k - 1])))
                    throw InputException.At(axisFile, null, $"wavenumbers[{k}]", "finite values in strictly increasing order", Finite.Describe(axis[k]));
        }
        else
        {
            axis = new double[length];
            for (int k = 0; k < length; k++) axis[k] = k;
        }
        return new SpectrumSet(values, labels, names, axis, generator, preprocessing);
    }

    /// <summary>Integer labels, or float labels holding whole numbers (public sets such as the bacteria-ID set store y as float64).</summary>
    private static long[] Labels(string file, NpyArray y, string where)
    {
        if (y.Values is not (float[] or double[])) return y.ToLongs(where);
        var d = y.ToDoubles(where);
        var raw = new long[d.Length];
        for (int i = 0; i < d.Length; i++)
            raw[i] = double.IsFinite(d[i]) && Math.Abs(d[i]) < 1e15 && d[i] == Math.Floor(d[i]) ? (long)d[i]
                : throw InputException.At(file, null, $"y[{i}]", "a whole-number class index", Finite.Describe(d[i]));
        return raw;
    }
}
