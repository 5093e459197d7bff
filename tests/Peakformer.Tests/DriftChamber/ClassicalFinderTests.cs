using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Physics;
using Peakformer.Engine.Randomness;
using Peakformer.Evaluation;

namespace Peakformer.Tests.DriftChamber;

public class ClassicalFinderTests
{
    // Isolated single-electron pulses (0.5 high) at known times on white noise of rms 0.025.
    private static (float[] Wave, int[] Peaks) Isolated(ulong seed)
    {
        var template = new PulseTemplate(new PulseShape(frontEnd: false), 0.5);
        var w = new float[1200];
        var rng = new Rng(seed);
        var arrivals = new[] { 100.0, 180.3, 260.7, 350.1, 430.9 };
        foreach (var t in arrivals) template.Add(w, t, 0.5f);
        for (int i = 0; i < w.Length; i++) w[i] += (float)(0.025 * rng.NextNormal());
        var peaks = arrivals.Select(t => (int)Math.Round((t + template.Shape.PeakTimeNs) / 0.5)).ToArray();
        return (w, peaks);
    }

    private static (float[] Waves, List<int[]> Truth) Set(ulong first, int count)
    {
        var waves = new List<float>();
        var truth = new List<int[]>();
        for (ulong s = first; s < first + (ulong)count; s++)
        {
            var (w, p) = Isolated(s);
            waves.AddRange(w);
            truth.Add(p);
        }
        return (waves.ToArray(), truth);
    }

    private static PeakScore Score(IPeakFinder finder, (float[] Waves, List<int[]> Truth) set)
    {
        var found = finder.Find(set.Waves, set.Truth.Count, 1200);
        var score = new PeakScore();
        for (int i = 0; i < set.Truth.Count; i++) score.Add(set.Truth[i], found[i], 2, 0.5);
        return score;
    }

    [Fact]
    public void Deriv_at_the_published_thresholds_finds_sharp_isolated_peaks_and_nothing_else()
    {
        // Triangular pulses (2-sample rise, 6-sample fall, 0.5 high) have the sharp top the DERIV conditions assume.
        var rng = new Rng(4);
        var w = Enumerable.Range(0, 1200).Select(_ => (float)(0.025 * rng.NextNormal())).ToArray();
        long[] tops = [150, 300, 455, 610, 820];
        foreach (long top in tops)
        {
            for (int k = -2; k < 0; k++) w[top + k] += 0.5f * (k + 2) / 2;
            for (int k = 0; k <= 6; k++) w[top + k] += 0.5f * (6 - k) / 6;
        }
        var found = new DerivFinder(8, 1.0, 0.1, 0.1, 0.5).FindOne(w);
        Assert.Equal(tops, found.Select(f => (long)f));
    }

    [Fact]
    public void Tuned_d2_fires_on_each_rise_and_reports_the_top()
    {
        var train = Set(0, 8);
        var (d2, _) = ClassicalTuning.TuneD2(train.Waves, 8, 1200, train.Truth, 2, 0.5);
        var score = Score(d2, Set(100, 8));
        Assert.True(score.Efficiency > 0.95 && score.Purity > 0.9, $"D2 {d2}: efficiency {score.Efficiency:F3}, purity {score.Purity:F3}");
    }

    [Fact]
    public void Pure_noise_gives_no_peaks_at_the_published_thresholds()
    {
        var rng = new Rng(9);
        var w = Enumerable.Range(0, 1200).Select(_ => (float)(0.025 * rng.NextNormal())).ToArray();
        Assert.Empty(new DerivFinder(8, 1.0, 0.1, 0.1, 0.5).FindOne(w));
        Assert.Empty(new D2Finder(3, 0.05, 0.5).FindOne(w));
    }

    [Fact]
    public void The_threshold_scan_keeps_the_best_f1_of_its_grid()
    {
        var waves = new List<float>();
        var truth = new List<int[]>();
        for (ulong s = 0; s < 6; s++)
        {
            var (w, p) = Isolated(s);
            waves.AddRange(w);
            truth.Add(p);
        }
        var (best, scan) = ClassicalTuning.TuneDeriv(waves.ToArray(), 6, 1200, truth, 2, 0.5);
        Assert.Equal(18 * 6 * 3, scan.Count);
        Assert.Equal(scan.Max(p => p.F1), scan.Single(p => p.Settings == $"N1={best.N1} N2={best.N2} N3=N4={best.N3}").F1);
    }
}
