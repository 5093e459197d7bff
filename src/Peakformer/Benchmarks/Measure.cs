using System.Diagnostics;

namespace Peakformer.Benchmarks;

/// <summary>
/// Repeated timed trials. Shared machines drift by tens of percent within seconds, so a figure is the median
/// of several short trials, and peers are measured between our own trials rather than before or after them.
/// </summary>
public static class Measure
{
    /// <summary>Runs <paramref name="work"/> (returning units done) for about <paramref name="seconds"/> seconds; returns units per second.</summary>
    public static double Rate(Func<long> work, double seconds)
    {
        long units = 0;
        var sw = Stopwatch.StartNew();
        do units += work(); while (sw.Elapsed.TotalSeconds < seconds);
        return units / sw.Elapsed.TotalSeconds;
    }

    /// <summary>A pause before a trial, so every trial (ours or a peer's) starts from an idle machine.</summary>
    public static void Settle() => Thread.Sleep(TimeSpan.FromSeconds(1));

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.OrderBy(v => v).ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
