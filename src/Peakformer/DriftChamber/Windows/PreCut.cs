using Peakformer.DriftChamber.Finders;

namespace Peakformer.DriftChamber.Windows;

/// <summary>
/// A cheap cut on window candidates before a window model scores them (issue 17): candidate t is kept when its
/// sample stands at least <see cref="K"/> noise rms above the waveform's baseline, x[t] - baseline ≥ K · rms, with
/// baseline and rms from the signal-free start of the record (<see cref="Noise.Estimate"/>). Noise bumps far from any
/// pulse, about three quarters of the candidates, are dropped; candidates on a pulse or its tail are kept. An
/// inference option only: training windows never pass through it, and K = 0 (<see cref="None"/>) keeps every candidate.
/// </summary>
public sealed record PreCut
{
    /// <summary>Noise rms above baseline a candidate's sample must reach; 0 keeps every candidate.</summary>
    public double K { get; init; }
    /// <summary>Samples at the start of the record the baseline and rms are estimated from.</summary>
    public int NoiseSamples { get; init; } = Noise.Samples(Physics.DriftChamberConstants.SamplingNs);

    /// <summary>
    /// The K of the finders suite: on the quickstart's test set it scores a quarter of the candidates and keeps 99.8%
    /// of the truth peaks that have a candidate within tolerance (docs/BENCHMARKS.md).
    /// </summary>
    public const double DefaultK = 3;

    public static PreCut None { get; } = new();

    /// <summary>The cut at <paramref name="k"/> for records sampled every <paramref name="samplingNs"/>.</summary>
    public static PreCut At(double k, double samplingNs) => new() { K = k, NoiseSamples = Noise.Samples(samplingNs) };

    public void Validate()
    {
        Finite.InRange("--pre-cut", K, 0, 1000);
        Finite.Count("pre-cut noise samples", NoiseSamples, 2, int.MaxValue);
    }

    /// <summary>Keeps, in order, the candidates of <paramref name="waveform"/> that pass; returns how many (the first entries).</summary>
    public int Apply(ReadOnlySpan<float> waveform, Span<int> candidates)
    {
        if (K == 0) return candidates.Length;
        var (baseline, rms) = Noise.Estimate(waveform, NoiseSamples);
        // Compared in float on x[t] - baseline, one subtraction per candidate.
        float floor = (float)(baseline + K * rms);
        int kept = 0;
        foreach (int t in candidates)
            if (waveform[t] >= floor) candidates[kept++] = t;
        return kept;
    }

    /// <summary>The candidates of each of count waveforms (count x samples) that pass (new arrays; the input is not changed).</summary>
    public int[][] Apply(ReadOnlySpan<float> waveforms, int count, int samples, IReadOnlyList<int[]> candidates)
    {
        var kept = new int[count][];
        for (int w = 0; w < count; w++)
        {
            var c = candidates[w].ToArray();
            kept[w] = c[..Apply(waveforms.Slice(w * samples, samples), c)];
        }
        return kept;
    }
}
