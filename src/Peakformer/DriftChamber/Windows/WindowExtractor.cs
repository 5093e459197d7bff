using Peakformer.Data.Waveforms;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Windows;

/// <summary>Cuts labelled candidate windows out of waveforms (see <see cref="WindowOptions"/>).</summary>
public static class WindowExtractor
{
    /// <summary>Windows of one waveform; peaks are its truth peaks (<c>WaveformDataset.TruthPeaks</c>; null when there is no truth).</summary>
    public static void FromWaveform(int evt, ReadOnlySpan<float> waveform, IReadOnlyList<int>? peaks, WindowOptions o,
        WindowSet output, List<int> scratch)
    {
        CandidateFinder.Find(waveform, o.Before, o.After, scratch);
        Span<float> window = stackalloc float[o.Length];
        if (!o.Balance)
        {
            foreach (int t in scratch) Emit(evt, t, Label(t, peaks, o.ToleranceSamples), waveform, o, window, output);
            return;
        }
        if (peaks is null) throw new InputException("--balance needs truth labels, and this dataset has none");
        var signal = scratch.Where(t => Label(t, peaks, o.ToleranceSamples) == 1).ToList();
        var background = scratch.Where(t => Label(t, peaks, o.ToleranceSamples) == 0).ToArray();
        // The same seed picks the same background windows whatever else runs.
        Rng.ForStream(o.Seed, (ulong)evt).Shuffle(background.AsSpan());
        var kept = signal.Select(t => (t, (sbyte)1)).Concat(background.Take(signal.Count).Select(t => (t, (sbyte)0))).OrderBy(x => x.t);
        foreach (var (t, label) in kept) Emit(evt, t, label, waveform, o, window, output);
    }

    /// <summary>All windows of events [start, start + count) of a dataset.</summary>
    public static WindowSet FromDataset(WaveformDataset data, WindowOptions o, int start, int count)
    {
        o.Validate();
        if (data.Samples < o.Length + 2) throw new InputException($"{data.Path}: waveforms of {data.Samples} samples are shorter than a {o.Length}-sample window");
        var set = new WindowSet(o.Length);
        var scratch = new List<int>();
        const int chunk = 512;
        for (int s = start; s < start + count; s += chunk)
        {
            int n = Math.Min(chunk, start + count - s);
            var block = data.ReadWaveforms(s, n);
            for (int i = 0; i < n; i++)
                FromWaveform(s + i, block.AsSpan(i * data.Samples, data.Samples), data.HasTruth ? data.TruthPeaks(s + i) : null, o, set, scratch);
        }
        return set;
    }

    /// <summary>1 when a truth peak lies within the tolerance of t, 0 otherwise, -1 without truth.</summary>
    public static sbyte Label(int t, IReadOnlyList<int>? peaks, int tolerance)
    {
        if (peaks is null) return -1;
        foreach (int p in peaks)
            if (Math.Abs(p - t) <= tolerance) return 1;
        return 0;
    }

    private static void Emit(int evt, int t, sbyte label, ReadOnlySpan<float> waveform, WindowOptions o, Span<float> window, WindowSet output)
    {
        float mean = WindowCutter.Cut(waveform, t, o, window);
        output.Add(evt, t, label, mean, 1f, window);
    }
}
