namespace Peakformer.Data.Waveforms;

/// <summary>
/// Several waveform files read as one: rows follow the files in order, each keeping its file and event index
/// (<see cref="Origin"/>). All files must agree on the samples per waveform and the sampling interval. Files are
/// opened one at a time (each once at the start for its counts, then again when its rows are read), so a pattern
/// of thousands of files never holds more than one open.
/// </summary>
public sealed class WaveformFileSet : IWaveformSource
{
    private readonly string[] _paths;
    private readonly int[] _first;
    private readonly Func<string, IWaveformSource> _open;
    private readonly List<string> _notes = [];
    private IWaveformSource? _current;
    private int _currentIndex = -1;

    public WaveformFileSet(string path, IReadOnlyList<string> files, Func<string, IWaveformSource> open)
    {
        Path = path;
        _open = open;
        _paths = [.. files];
        _first = new int[_paths.Length + 1];
        long total = 0;
        var units = new List<string>();
        for (int i = 0; i < _paths.Length; i++)
        {
            using var p = open(_paths[i]);
            _notes.AddRange(p.Notes);
            if (i == 0)
            {
                Samples = p.Samples;
                SamplingNs = p.SamplingNs;
            }
            if (!units.Contains(p.AmplitudeUnit)) units.Add(p.AmplitudeUnit);
            if (p.Samples != Samples)
                throw InputException.At(p.Path, null, "samples per waveform", $"{Samples} like {_paths[0]}", p.Samples.ToString());
            if (p.SamplingNs != SamplingNs)
                throw InputException.At(p.Path, null, "sampling_ns", $"{SamplingNs:R} ns like {_paths[0]}", $"{p.SamplingNs:R} ns");
            _first[i] = (int)total;
            total += p.Count;
            if (total > int.MaxValue) throw InputException.At(path, null, null, $"at most {int.MaxValue} waveforms in all", $"{total} by {p.Path}");
        }
        _first[^1] = (int)total;
        Count = (int)total;
        // Files read to different units (one with a gain, one without) share no axis: the label says so.
        AmplitudeUnit = units.Count == 1 ? units[0] : $"mixed: {string.Join(" / ", units)}";
    }

    public string Path { get; }
    public int Count { get; }
    public int Samples { get; }
    public double SamplingNs { get; }
    public int Files => _paths.Length;
    public string AmplitudeUnit { get; }
    public IReadOnlyList<string> Notes => _notes;

    public (string File, int Event) Origin(int row)
    {
        int i = Part(row);
        return (_paths[i], row - _first[i]);
    }

    public void ReadRows(int start, int count, Span<float> destination)
    {
        // A range may span files: each part reads its share into its slice of the destination.
        while (count > 0)
        {
            int i = Part(start);
            int n = Math.Min(count, _first[i + 1] - start);
            Opened(i).ReadRows(start - _first[i], n, destination[..(n * Samples)]);
            destination = destination[(n * Samples)..];
            start += n;
            count -= n;
        }
    }

    /// <summary>File i, open (the one before it closed first).</summary>
    private IWaveformSource Opened(int i)
    {
        if (_currentIndex == i) return _current!;
        _current?.Dispose();
        _current = null;
        _currentIndex = -1;
        var source = _open(_paths[i]);
        // The file changed since the set was opened: its rows would no longer be where the set says.
        if (source.Count != _first[i + 1] - _first[i] || source.Samples != Samples)
        {
            source.Dispose();
            throw InputException.At(_paths[i], null, null, $"{_first[i + 1] - _first[i]} waveforms of {Samples} samples as when opened", $"{source.Count} of {source.Samples} (file changed while read?)");
        }
        (_current, _currentIndex) = (source, i);
        return source;
    }

    private int Part(int row)
    {
        int i = Array.BinarySearch(_first, 0, _paths.Length, row);
        if (i < 0) i = ~i - 1;
        while (i + 1 < _paths.Length && _first[i + 1] <= row) i++; // skip empty files starting at the same row
        return i;
    }

    public void Dispose() => _current?.Dispose();
}
