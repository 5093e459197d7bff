namespace Peakformer.DriftChamber.Finders;

/// <summary>
/// Non-maximum suppression into a <see cref="PeakList"/> without allocating once its buffers are large enough: the
/// peaks <see cref="ScoredPeaks.Suppress"/> keeps (strongest first, the earlier sample on a tie; a peak is dropped
/// when a kept one lies within the minimum separation). Shared by the batched finders of per-bin and window models.
/// </summary>
public sealed class PeakSuppression(int minSeparation)
{
    private int[] _order = [];
    private bool[] _kept = [];
    private bool[] _taken = [];

    /// <summary>
    /// Appends to <paramref name="found"/> the kept ones of <paramref name="samples"/> (ascending, in [0, length))
    /// scored <paramref name="scores"/>; the caller passes only those at or above its decision threshold, which keeps the
    /// same peaks as suppressing all and thresholding after, since one below the threshold never outranks one above.
    /// </summary>
    public void Add(ReadOnlySpan<int> samples, ReadOnlySpan<float> scores, int length, PeakList found)
    {
        int m = samples.Length;
        if (_order.Length < m) { _order = new int[Math.Max(m, length)]; _kept = new bool[_order.Length]; }
        if (_taken.Length < length) _taken = new bool[length];
        var order = _order.AsSpan(0, m);
        for (int i = 0; i < m; i++) order[i] = i;
        SortStrongestFirst(order, samples, scores);
        var taken = _taken.AsSpan(0, length);
        var kept = _kept.AsSpan(0, m);
        kept.Clear();
        foreach (int i in order)
        {
            int s = samples[i];
            if (taken[Math.Max(0, s - minSeparation)..Math.Min(length, s + minSeparation + 1)].Contains(true)) continue;
            taken[s] = true;
            kept[i] = true;
        }
        foreach (int s in samples) taken[s] = false;
        found.Add(samples, scores, kept);
    }

    /// <summary>
    /// Insertion sort by score, descending, then sample, ascending: a few dozen peaks per waveform, and no comparer
    /// (Span.Sort with one boxes it and allocates a delegate on every call).
    /// </summary>
    private static void SortStrongestFirst(Span<int> order, ReadOnlySpan<int> samples, ReadOnlySpan<float> scores)
    {
        for (int i = 1; i < order.Length; i++)
        {
            int x = order[i], j = i - 1;
            while (j >= 0 && (scores[x] != scores[order[j]] ? scores[x] > scores[order[j]] : samples[x] < samples[order[j]]))
            {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
    }
}
