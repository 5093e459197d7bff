namespace Peakformer.DriftChamber.Finders;

/// <summary>
/// The peaks of many waveforms in one flat array (sample indices, ascending within each waveform), reused from batch
/// to batch: its arrays only grow, so a finder filling it allocates nothing once they are large enough.
/// </summary>
public sealed class PeakList
{
    private int[] _samples = new int[4096];
    private float[] _scores = new float[4096];
    private int[] _ends = new int[256];

    /// <summary>Waveforms held.</summary>
    public int Count { get; private set; }

    /// <summary>The peaks of waveform <paramref name="w"/>.</summary>
    public ReadOnlySpan<int> this[int w] => _samples.AsSpan(w == 0 ? 0 : _ends[w - 1], _ends[w] - (w == 0 ? 0 : _ends[w - 1]));

    /// <summary>The scores (probabilities) of waveform <paramref name="w"/>'s peaks, in the order of its samples.</summary>
    public ReadOnlySpan<float> ScoresOf(int w) => _scores.AsSpan(w == 0 ? 0 : _ends[w - 1], _ends[w] - (w == 0 ? 0 : _ends[w - 1]));

    private int Total => Count == 0 ? 0 : _ends[Count - 1];

    public void Clear() => Count = 0;

    /// <summary>Appends a waveform whose peaks are the <paramref name="kept"/> entries of <paramref name="samples"/> (ascending) with their scores.</summary>
    internal void Add(ReadOnlySpan<int> samples, ReadOnlySpan<float> scores, ReadOnlySpan<bool> kept)
    {
        int at = Total, n = 0;
        foreach (bool k in kept) if (k) n++;
        if (at + n > _samples.Length)
        {
            Array.Resize(ref _samples, Math.Max(2 * _samples.Length, at + n));
            Array.Resize(ref _scores, _samples.Length);
        }
        if (Count == _ends.Length) Array.Resize(ref _ends, 2 * _ends.Length);
        for (int i = 0; i < samples.Length; i++)
            if (kept[i])
            {
                _scores[at] = scores[i];
                _samples[at++] = samples[i];
            }
        _ends[Count++] = at;
    }

    /// <summary>Appends a waveform whose peaks are those of <paramref name="samples"/> (ascending) scoring at least <paramref name="threshold"/>.</summary>
    internal void Add(ReadOnlySpan<int> samples, ReadOnlySpan<float> scores, double threshold)
    {
        int at = Total;
        if (at + samples.Length > _samples.Length)
        {
            Array.Resize(ref _samples, Math.Max(2 * _samples.Length, at + samples.Length));
            Array.Resize(ref _scores, _samples.Length);
        }
        if (Count == _ends.Length) Array.Resize(ref _ends, 2 * _ends.Length);
        for (int i = 0; i < samples.Length; i++)
            if (scores[i] >= threshold)
            {
                _scores[at] = scores[i];
                _samples[at++] = samples[i];
            }
        _ends[Count++] = at;
    }

    /// <summary>One array per waveform (for scoring against truth; allocates).</summary>
    public int[][] ToArrays() => Enumerable.Range(0, Count).Select(w => this[w].ToArray()).ToArray();
}
