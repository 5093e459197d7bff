using Peakformer.Data.Npy;

namespace Peakformer.Data.Waveforms;

/// <summary>Truth arrays of an .npz, flat as <c>simulate</c> writes them; each size is checked from its header before it is read.</summary>
internal sealed class NpzTruthColumns(NpzReader npz, WaveformArrayNames names) : ITruthColumns
{
    public bool HasTruth => npz.Contains(names["electron_offsets"]);

    public bool Has(string name) => npz.Contains(name);

    public long[] Offsets(WaveformArrayNames names, int count) => Column(names["electron_offsets"], (long)count + 1).ToLongs("electron_offsets");

    public double[] Doubles(string name, long expected, long[]? offsets) => Column(name, expected).ToDoubles(name);

    public long[] Longs(string name, long expected, long[]? offsets) => Column(name, expected).ToLongs(name);

    public string? Config => npz.Contains("config") ? One("config").As<string>("config")[0] : null;

    private NpyArray Column(string name, long expected)
    {
        // The size is checked from the header, before the data is read: a header cannot make us read more than expected.
        if (!npz.Contains(name)) return npz.Require(name);
        long count = npz.Header(name).Count;
        if (count != expected) throw new InputException($"{npz.Path} [{name}]: expected {expected} values, found {count}");
        return npz.Read(name);
    }

    /// <summary>An array of one value (a 0-d array or a 1-element one), its size checked before it is read.</summary>
    private NpyArray One(string name)
    {
        long count = npz.Header(name).Count;
        if (count != 1) throw InputException.At($"{npz.Path} [{name}]", null, "shape", "one value", $"{count} values");
        return npz.Read(name);
    }
}
