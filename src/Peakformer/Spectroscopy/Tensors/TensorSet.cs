using Peakformer.Data.Npy;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// Examples of the tensor task in memory: each is one molecule orientation measured under C polarisation
/// configurations, X [N, C, L], with the lab-frame Raman tensor Q R_m Q^T of one mode as its target, tensors [N, 9]
/// (row-major). Polarisations [C, 6] (incident, scattered) and the channel names say what each channel measured.
/// </summary>
public sealed class TensorSet(float[] values, int channels, float[] tensors, double[] wavenumbers, string[] channelNames, double[] polarisations,
    string className, double modeShift, string generatorJson)
{
    public float[] Values { get; } = values;
    public int Channels { get; } = channels;
    public float[] Tensors { get; } = tensors;
    public double[] Wavenumbers { get; } = wavenumbers;
    public string[] ChannelNames { get; } = channelNames;
    public double[] Polarisations { get; } = polarisations;
    public string ClassName { get; } = className;
    /// <summary>Shift of the mode whose tensor is the target, cm^-1 (the class's band centre).</summary>
    public double ModeShift { get; } = modeShift;
    public string GeneratorJson { get; } = generatorJson;
    public int Length => Wavenumbers.Length;
    public int Count => Tensors.Length / 9;
    public int InputSize => Channels * Length;

    public ReadOnlySpan<float> Example(int i) => Values.AsSpan(i * InputSize, InputSize);
    public ReadOnlySpan<float> Tensor(int i) => Tensors.AsSpan(i * 9, 9);

    /// <summary>
    /// As .npz: X [N, C, L] float32, tensors [N, 9] float32, wavenumbers [L] float64, channel_names [C],
    /// polarisations [C, 6] float64, class_name, mode_shift_cm1 and generator_json (0-d).
    /// </summary>
    public void Write(string path)
    {
        using var writer = new NpzWriter(path);
        writer.Add("X", NpyArray.Of(Values, Count, Channels, Length));
        writer.Add("tensors", NpyArray.Of(Tensors, Count, 9));
        writer.Add("wavenumbers", NpyArray.Of(Wavenumbers, Length));
        writer.Add("channel_names", NpyArray.Of(ChannelNames));
        writer.Add("polarisations", NpyArray.Of(Polarisations, Channels, 6));
        writer.Add("class_name", NpyArray.Scalar(ClassName));
        writer.Add("mode_shift_cm1", NpyArray.Scalar(ModeShift));
        writer.Add("generator_json", NpyArray.Scalar(GeneratorJson));
        writer.Commit();
    }

    /// <summary>Reads and checks a tensor set; a spectrum set (X [N, L], y) or anything else is one line naming what is missing.</summary>
    public static TensorSet Read(string path)
    {
        if (!File.Exists(path)) throw new InputException($"{path}: file not found");
        using var npz = new NpzReader(path);
        if (!npz.Contains("tensors"))
            throw InputException.At(path, null, "tensors", "a Raman tensor set (simulate --domain raman --task tensor: X [N, C, L], tensors [N, 9])",
                $"no tensors array (keys {string.Join(", ", npz.Keys.Order())}){(npz.Contains("y") ? ": a classification set?" : "")}");
        var x = npz.Require("X");
        if (x.Shape.Length != 3 || x.Shape.Any(d => d < 1))
            throw InputException.At(path, null, "X", "a 3D array [N examples, C channels, L points]", $"shape ({string.Join(", ", x.Shape)})");
        int n = checked((int)x.Shape[0]), channels = checked((int)x.Shape[1]), length = checked((int)x.Shape[2]);
        float[] values = Floats(x, path, "X");
        Finite.RequireRows(values, channels * length, 0, path, "example", "value");
        var t = npz.Read("tensors");
        if (t.Shape.Length != 2 || t.Shape[0] != n || t.Shape[1] != 9)
            throw InputException.At(path, null, "tensors", $"shape ({n}, 9) (one row-major 3x3 tensor per example)", $"({string.Join(", ", t.Shape)})");
        float[] tensors = Floats(t, path, "tensors");
        Finite.RequireRows(tensors, 9, 0, path, "tensor", "component");
        var axis = npz.Require("wavenumbers").ToDoubles($"{path} [wavenumbers]");
        if (axis.Length != length) throw InputException.At(path, null, "wavenumbers", $"{length} values (one per point of X)", $"{axis.Length}");
        var names = npz.Require("channel_names").As<string>($"{path} [channel_names]");
        if (names.Length != channels) throw InputException.At(path, null, "channel_names", $"{channels} (one per channel of X)", $"{names.Length}");
        var polarisations = npz.Require("polarisations").ToDoubles($"{path} [polarisations]");
        if (polarisations.Length != channels * 6) throw InputException.At(path, null, "polarisations", $"{channels} x 6 values", $"{polarisations.Length}");
        string className = Text(npz, "class_name");
        double shift = npz.Require("mode_shift_cm1").ToDoubles($"{path} [mode_shift_cm1]") is [var s] ? s : double.NaN;
        return new TensorSet(values, channels, tensors, axis, names, polarisations, className, shift, npz.Contains("generator_json") ? Text(npz, "generator_json") : "");
    }

    private static float[] Floats(NpyArray a, string path, string key) => a.Values switch
    {
        float[] f => f,
        double[] d => Array.ConvertAll(d, v => (float)v),
        _ => throw InputException.At(path, null, key, "float32 or float64", a.Descriptor),
    };

    private static string Text(NpzReader npz, string key) =>
        npz.Require(key).As<string>($"{npz.Path} [{key}]") is [var one] ? one : throw InputException.At(npz.Path, null, key, "one text value", "several");
}
