namespace Peakformer.Data.Waveforms;

/// <summary>
/// Several waveform files read as one: rows follow the files in order, each keeping its file and event index
/// (<see cref="Origin"/>). All files must agree on the samples per waveform and the sampling interval.
/// </summary>
public sealed class WaveformFileSet : IWaveformSource
{
    private readonly IWaveformSource[] _parts;
    private readonly int[] _first;
    private readonly List<string> _notes = [];

    public WaveformFileSet(string path, IReadOnlyList<IWaveformSource> parts)
    {
        Path = path;
        _parts = [.. parts];
        _first = new int[_parts.Length + 1];
        long total = 0;
        for (int i = 0; i < _parts.Length; i++)
        {
            var p = _parts[i];
            _notes.AddRange(p.Notes);
            if (p.Samples != _parts[0].Samples)
                throw InputException.At(p.Path, null, "samples per waveform", $"{_parts[0].Samples} like {_parts[0].Path}", p.Samples.ToString());
            if (p.SamplingNs != _parts[0].SamplingNs)
                throw InputException.At(p.Path, null, "sampling_ns", $"{_parts[0].SamplingNs:R} ns like {_parts[0].Path}", $"{p.SamplingNs:R} ns");
            _first[i] = (int)total;
            total += p.Count;
            if (total > int.MaxValue) throw InputException.At(path, null, null, $"at most {int.MaxValue} waveforms in all", $"{total} by {p.Path}");
        }
        _first[^1] = (int)total;
        Count = (int)total;
    }

    public string Path { get; }
    public int Count { get; }
    public int Samples => _parts[0].Samples;
    public double SamplingNs => _parts[0].SamplingNs;
    public int Files => _parts.Length;
    public IReadOnlyList<string> Notes => _notes;

    public (string File, int Event) Origin(int row)
    {
        int i = Part(row);
        return (_parts[i].Path, row - _first[i]);
    }

    public void ReadRows(int start, int count, Span<float> destination)
    {
        // A range may span files: each part reads its share into its slice of the destination.
        while (count > 0)
        {
            int i = Part(start);
            int n = Math.Min(count, _first[i + 1] - start);
            _parts[i].ReadRows(start - _first[i], n, destination[..(n * Samples)]);
            destination = destination[(n * Samples)..];
            start += n;
            count -= n;
        }
    }

    private int Part(int row)
    {
        int i = Array.BinarySearch(_first, 0, _parts.Length, row);
        if (i < 0) i = ~i - 1;
        while (i + 1 < _parts.Length && _first[i + 1] <= row) i++; // skip empty files starting at the same row
        return i;
    }

    public void Dispose()
    {
        foreach (var p in _parts) p.Dispose();
    }
}
