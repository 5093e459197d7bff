using Peakformer.Data.Npy;

namespace Peakformer.Data.Waveforms;

/// <summary>
/// Opens waveforms by file extension: .npz/.npy (NumPy), .h5/.hdf5/.hdf (HDF5), .csv, .parquet; a comma list or a glob
/// ('runs/*.h5') becomes one <see cref="WaveformFileSet"/>. The one place that knows which reader a file needs.
/// </summary>
public static class WaveformSources
{
    public const string Formats = ".npz, .npy, .h5/.hdf5/.hdf, .csv, .parquet/.pq";

    public static IWaveformSource Open(string spec, WaveformReadOptions options)
    {
        var files = Expand(spec);
        if (files.Count == 1) return OpenFile(files[0], options);
        return new WaveformFileSet(spec, files, f => OpenFile(f, options));
    }

    /// <summary>One file, by its extension (anything not named otherwise is read as an .npz, as before other formats).</summary>
    public static IWaveformSource OpenFile(string path, WaveformReadOptions options)
    {
        switch (Extension(path))
        {
            case ".npy": return NpyWaveformSource.FromNpy(path, options);
            case ".h5" or ".hdf5" or ".hdf": return new Hdf5WaveformSource(path, options);
            case ".csv": return new CsvWaveformSource(path, options);
            case ".parquet" or ".pq": return new ParquetWaveformSource(path, options);
        }
        var npz = new NpzReader(path);
        try
        {
            return new NpzOwned(npz, NpyWaveformSource.FromNpz(npz, options));
        }
        catch
        {
            npz.Dispose();
            throw;
        }
    }

    /// <summary>Whether a single path is read as an .npz.</summary>
    public static bool IsNpz(string path) => IsSingle(path) && Extension(path) is not (".npy" or ".h5" or ".hdf5" or ".hdf" or ".csv" or ".parquet" or ".pq");

    /// <summary>Whether a path (or each path of a list or pattern) names a single file rather than several.</summary>
    public static bool IsSingle(string spec) => !spec.Contains(',') && spec.IndexOfAny(['*', '?']) < 0;

    public static string Extension(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant();

    /// <summary>The files a comma list and/or glob patterns name, in order (each pattern's matches sorted by name).</summary>
    public static IReadOnlyList<string> Expand(string spec)
    {
        var files = new List<string>();
        foreach (string item in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (item.IndexOfAny(['*', '?']) < 0)
            {
                files.Add(item);
                continue;
            }
            string dir = System.IO.Path.GetDirectoryName(item) is { Length: > 0 } d ? d : ".";
            string pattern = System.IO.Path.GetFileName(item);
            if (dir.IndexOfAny(['*', '?']) >= 0)
                throw InputException.At(null, null, "--data", "a pattern in the file name only (runs/*.h5)", $"'{item}'");
            var matches = Directory.Exists(dir)
                ? Directory.GetFiles(dir, pattern).Select(f => dir == "." && !item.StartsWith("./", StringComparison.Ordinal) ? System.IO.Path.GetFileName(f) : f).Order(StringComparer.Ordinal).ToList()
                : [];
            if (matches.Count == 0) throw InputException.At(null, null, "--data", $"files matching '{item}'", "none");
            files.AddRange(matches);
        }
        if (files.Count == 0) throw InputException.At(null, null, "--data", "a file, a comma list or a pattern", $"'{spec}'");
        return files;
    }

    /// <summary>
    /// Every file a command reads for <paramref name="spec"/> (a path, comma list or pattern; none when null), so an
    /// output is checked against each of them (OutputPath.Check), not against the spec's text.
    /// </summary>
    public static IReadOnlyList<string> InputsOf(string? spec) =>
        string.IsNullOrWhiteSpace(spec) ? [] : IsSingle(spec) ? [spec] : Expand(spec);

    /// <summary>An .npz's waveforms together with the archive they read from, closed together.</summary>
    private sealed class NpzOwned(NpzReader npz, NpyWaveformSource source) : IWaveformSource
    {
        public string Path => source.Path;
        public int Count => source.Count;
        public int Samples => source.Samples;
        public double SamplingNs => source.SamplingNs;
        public int Files => 1;
        public string AmplitudeUnit => source.AmplitudeUnit;
        public IReadOnlyList<string> Notes => source.Notes;
        public (string File, int Event) Origin(int row) => source.Origin(row);
        public void ReadRows(int start, int count, Span<float> destination) => source.ReadRows(start, count, destination);

        public void Dispose()
        {
            source.Dispose();
            npz.Dispose();
        }
    }
}
