namespace Peakformer.DriftChamber.Windows;

/// <summary>
/// Cuts the window of candidate bin t: samples t - Before .. t + After minus their mean (the published table's
/// Shift, docs/SIMULATION.md). Training (<see cref="WindowExtractor"/>) and inference (<c>ModelScorer</c>) both
/// cut here, so a model sees at inference exactly the windows it was trained on.
/// </summary>
public static class WindowCutter
{
    /// <summary>Writes the mean-subtracted window into <paramref name="window"/> (Length samples) and returns the mean.</summary>
    public static float Cut(ReadOnlySpan<float> waveform, int t, WindowOptions o, Span<float> window)
    {
        if (t - o.Before < 0 || t + o.After >= waveform.Length)
            throw new ArgumentOutOfRangeException(nameof(t), $"window t-{o.Before}..t+{o.After} around t = {t} does not fit a waveform of {waveform.Length} samples");
        var raw = waveform.Slice(t - o.Before, o.Length);
        // Summed in order, then divided: the order the reference windows were cut with, kept for bit-identical scores.
        float mean = 0;
        foreach (var v in raw) mean += v;
        mean /= raw.Length;
        for (int i = 0; i < raw.Length; i++) window[i] = raw[i] - mean;
        return mean;
    }
}
