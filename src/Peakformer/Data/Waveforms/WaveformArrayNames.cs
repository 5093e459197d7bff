namespace Peakformer.Data.Waveforms;

/// <summary>
/// Where each of Peakformer's arrays lives in a file: by default under its own name (an .npz key, an HDF5 dataset
/// "/name", a CSV leading column), renamed with <c>--map waveforms=/adc/samples,sampling_ns=/meta/dt</c>.
/// </summary>
public sealed class WaveformArrayNames
{
    /// <summary>The arrays that can be renamed: the waveforms, their sampling interval and ADC calibration, and the truth arrays.</summary>
    public static readonly IReadOnlyList<string> Known =
    [
        "waveforms", "sampling_ns", "pedestal", "gain",
        "electron_offsets", "electron_time_ns", "electron_peak_sample", "electron_cluster", "electron_tag",
        "particle", "momentum_gev", "beta_gamma", "track_length_cm", "n_clusters",
    ];

    private readonly Dictionary<string, string> _renames;

    private WaveformArrayNames(Dictionary<string, string> renames) => _renames = renames;

    public static WaveformArrayNames Default { get; } = new([]);

    /// <summary>The name to look for in the file.</summary>
    public string this[string array] => _renames.TryGetValue(array, out var name) ? name : array;

    public bool Renamed(string array) => _renames.ContainsKey(array);

    /// <summary>Parses "array=name,array=name"; unknown arrays and malformed pairs are named in the error.</summary>
    public static WaveformArrayNames Parse(string? text, string option = "--map")
    {
        var renames = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(text)) return Default;
        foreach (string pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = pair.IndexOf('=');
            if (eq <= 0 || eq == pair.Length - 1)
                throw InputException.At(null, null, option, "array=name pairs separated by commas (e.g. waveforms=/adc/samples)", $"'{pair}'");
            string array = pair[..eq].Trim(), name = pair[(eq + 1)..].Trim();
            if (!Known.Contains(array))
                throw InputException.At(null, null, option, $"one of {string.Join(", ", Known)} before '='", $"'{array}'");
            if (!renames.TryAdd(array, name))
                throw InputException.At(null, null, option, "each array renamed once", $"'{array}' twice");
        }
        return new WaveformArrayNames(renames);
    }
}
