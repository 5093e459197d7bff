namespace Peakformer.Data.Waveforms;

/// <summary>
/// The Monte-Carlo truth arrays of one file, whatever its format (an .npz's arrays, HDF5 datasets, Parquet columns):
/// each read whole with its size checked before anything is allocated. Names are the file's (after --map).
/// <see cref="WaveformTruth"/> checks the values alike for every format.
/// </summary>
internal interface ITruthColumns
{
    /// <summary>Whether the file holds per-electron truth at all.</summary>
    bool HasTruth { get; }

    bool Has(string name);

    /// <summary>The electron index range of every waveform: <paramref name="count"/> + 1 offsets, from the file's offsets array or a list column's lengths.</summary>
    long[] Offsets(WaveformArrayNames names, int count);

    /// <summary>
    /// A per-electron array (<paramref name="offsets"/> given: Parquet checks each row's list against them) or a
    /// per-waveform one (null), <paramref name="expected"/> values long.
    /// </summary>
    double[] Doubles(string name, long expected, long[]? offsets);

    /// <summary>As <see cref="Doubles"/>, for integer arrays (a float array is refused).</summary>
    long[] Longs(string name, long expected, long[]? offsets);

    /// <summary>The generator's config as JSON text, when the file carries it.</summary>
    string? Config { get; }
}
