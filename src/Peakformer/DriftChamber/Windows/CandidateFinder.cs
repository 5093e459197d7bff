namespace Peakformer.DriftChamber.Windows;

/// <summary>
/// Candidate bins of the published peak-classification table: bins where the rise into the bin is larger than the
/// rise out of it, x[t] - x[t-1] > x[t+1] - x[t] (a local bump, concave at t), skipping bins closer than
/// <c>before</c> / <c>after</c> samples to the edges so the whole window fits. Training, evaluation, prediction and
/// counting all take their candidates from here.
/// </summary>
public static class CandidateFinder
{
    public static void Find(ReadOnlySpan<float> waveform, int before, int after, List<int> candidates)
    {
        candidates.Clear();
        for (int t = Math.Max(before, 1); t < waveform.Length - Math.Max(after, 1); t++)
            if (waveform[t] - waveform[t - 1] > waveform[t + 1] - waveform[t]) candidates.Add(t);
    }

    /// <summary>The same candidates written into <paramref name="candidates"/> (at least as long as the waveform); returns how many.</summary>
    public static int Find(ReadOnlySpan<float> waveform, int before, int after, Span<int> candidates)
    {
        int n = 0;
        for (int t = Math.Max(before, 1); t < waveform.Length - Math.Max(after, 1); t++)
            if (waveform[t] - waveform[t - 1] > waveform[t + 1] - waveform[t]) candidates[n++] = t;
        return n;
    }

    /// <summary>The candidates of each of <paramref name="count"/> waveforms (count x samples) whose windows <paramref name="o"/> cuts.</summary>
    public static int[][] Find(ReadOnlySpan<float> waveforms, int count, int samples, WindowOptions o)
    {
        var candidates = new int[count][];
        var scratch = new List<int>();
        for (int w = 0; w < count; w++)
        {
            Find(waveforms.Slice(w * samples, samples), o.Before, o.After, scratch);
            candidates[w] = scratch.ToArray();
        }
        return candidates;
    }
}
