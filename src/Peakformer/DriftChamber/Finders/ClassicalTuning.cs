using Peakformer.Data.Waveforms;
using Peakformer.Evaluation;

namespace Peakformer.DriftChamber.Finders;

/// <summary>One point of a threshold scan: the settings and the F1 (efficiency, purity) they reached.</summary>
public sealed record ScanPoint(string Settings, double Efficiency, double Purity, double F1);

/// <summary>
/// The documented threshold scan for the classical finders, on training waveforms: every point of a grid is scored
/// against truth (one-to-one matching within the tolerance) and the setting with the best F1 is kept.
/// DERIV grid: N1 in 3..20 (step 1), N2 in {0.25, 0.5, 0.75, 1.0, 1.25, 1.5}, N3 = N4 in {0, 0.1, 0.2}.
/// D2 grid: T1 in {2, 3, 4, 5, 6, 8} noise rms, T2 in {0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4}.
/// </summary>
public static class ClassicalTuning
{
    /// <summary>The published typical thresholds (docs/SIMULATION.md): DERIV N1 = 8, N2 = 1.0, N3 = N4 = 0.1; D2 T1 = 3 noise rms, T2 = 0.05.</summary>
    public static IPeakFinder Typical(string name, double samplingNs) => name switch
    {
        "deriv" => new DerivFinder(8, 1.0, 0.1, 0.1, samplingNs),
        "d2" => new D2Finder(3, 0.05, samplingNs),
        _ => throw new InputException($"expected a classical finder deriv or d2, found '{name}'"),
    };

    /// <summary>
    /// "deriv" or "d2" tuned on the first <paramref name="events"/> waveforms of a training dataset, or with the
    /// typical thresholds when there is none.
    /// </summary>
    /// <summary>
    /// A classical spec as given (deriv, d2, deriv:N1,N2,N3,N4, d2:T1,T2): explicit thresholds are used as they are
    /// (no scan), a bare name is tuned as <see cref="ForData"/> tunes it.
    /// </summary>
    public static (IPeakFinder Finder, List<ScanPoint> Scan) ForSpec(string spec, string option, string? tuneDataPath, int events, int tolerance, double samplingNs)
    {
        var m = MethodSpec.Parse(spec, option, MethodKind.Classical);
        return m.Thresholds is null ? ForData(m.Finder, tuneDataPath, events, tolerance, samplingNs) : (Create(m, samplingNs), []);
    }

    public static (IPeakFinder Finder, List<ScanPoint> Scan) ForData(string name, string? tuneDataPath, int events, int tolerance, double samplingNs)
    {
        if (tuneDataPath is null) return (Typical(name, samplingNs), []);
        using var tune = WaveformDataset.Open(tuneDataPath);
        tune.RequireTruth("tuning the classical finders");
        int n = Math.Min(events, tune.Count);
        var waveforms = tune.ReadWaveforms(0, n);
        var truth = Enumerable.Range(0, n).Select(tune.TruthPeaks).ToArray();
        return name == "deriv"
            ? TuneDeriv(waveforms, n, tune.Samples, truth, tolerance, tune.SamplingNs)
            : TuneD2(waveforms, n, tune.Samples, truth, tolerance, tune.SamplingNs);
    }

    /// <summary>The finder of a classical <see cref="MethodSpec"/>: at its explicit thresholds, else at the typical ones.</summary>
    public static IPeakFinder Create(MethodSpec m, double samplingNs) => m.Thresholds switch
    {
        null => Typical(m.Finder, samplingNs),
        var t when m.Finder == "deriv" => new DerivFinder(t[0], t[1], t[2], t[3], samplingNs),
        var t => new D2Finder(t[0], t[1], samplingNs),
    };

    /// <summary>The spec <see cref="MethodSpec.Parse"/> and <see cref="Create"/> turn back into the same finder.</summary>
    public static string Spec(IPeakFinder f) => f switch
    {
        DerivFinder d => FormattableString.Invariant($"deriv:{d.N1},{d.N2},{d.N3},{d.N4}"),
        D2Finder d => FormattableString.Invariant($"d2:{d.T1},{d.T2}"),
        _ => throw new ArgumentException($"no spec for {f.Name}"),
    };

    public static string Describe(IPeakFinder f) => f switch
    {
        DerivFinder d => $"N1={d.N1} N2={d.N2} N3={d.N3} N4={d.N4}",
        D2Finder d => $"T1={d.T1} noise rms, T2={d.T2}",
        _ => "",
    };

    public static (DerivFinder Best, List<ScanPoint> Scan) TuneDeriv(float[] waveforms, int count, int samples, IReadOnlyList<int[]> truth, int tolerance, double samplingNs)
    {
        var candidates = from n1 in Enumerable.Range(3, 18).Select(v => (double)v)
                         from n2 in new[] { 0.25, 0.5, 0.75, 1.0, 1.25, 1.5 }
                         from n34 in new[] { 0.0, 0.1, 0.2 }
                         select new DerivFinder(n1, n2, n34, n34, samplingNs);
        return Tune(candidates, f => $"N1={f.N1} N2={f.N2} N3=N4={f.N3}", waveforms, count, samples, truth, tolerance, samplingNs);
    }

    public static (D2Finder Best, List<ScanPoint> Scan) TuneD2(float[] waveforms, int count, int samples, IReadOnlyList<int[]> truth, int tolerance, double samplingNs)
    {
        var candidates = from t1 in new[] { 2.0, 3.0, 4.0, 5.0, 6.0, 8.0 }
                         from t2 in new[] { 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4 }
                         select new D2Finder(t1, t2, samplingNs);
        return Tune(candidates, f => $"T1={f.T1}σ T2={f.T2}", waveforms, count, samples, truth, tolerance, samplingNs);
    }

    private static (T Best, List<ScanPoint> Scan) Tune<T>(IEnumerable<T> grid, Func<T, string> describe, float[] waveforms, int count, int samples,
        IReadOnlyList<int[]> truth, int tolerance, double samplingNs) where T : IPeakFinder
    {
        var scan = new List<ScanPoint>();
        T? best = default;
        double bestF1 = -1;
        foreach (var finder in grid)
        {
            var found = finder.Find(waveforms, count, samples);
            var score = new PeakScore();
            for (int w = 0; w < count; w++) score.Add(truth[w], found[w], tolerance, samplingNs, keepResiduals: false);
            scan.Add(new ScanPoint(describe(finder), score.Efficiency, score.Purity, score.F1));
            if (score.F1 > bestF1) (best, bestF1) = (finder, score.F1);
        }
        return (best!, scan);
    }
}
