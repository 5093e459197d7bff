using Peakformer.Engine.Tests.Support;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Windows;
using Peakformer.Engine.Randomness;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.DriftChamber;

/// <summary>
/// The batched window finder gives the peaks of the scorer evaluate and predict use (<see cref="ModelScorer"/> on the
/// candidates the pre-cut keeps, then <see cref="ScoredPeaks.Above"/>), and allocates nothing per call once warm.
/// </summary>
[Collection(SharedPoolCollection.Name)]
public class WindowFinderTests
{
    private const int Samples = 300, Count = 12;

    /// <summary>A small window model with its weights moved off their initial range, so its scores spread over (0, 1).</summary>
    private static IPeakModel Model(string kind)
    {
        IPeakModel model = kind == "lstm"
            ? new WindowLstm(new WindowLstmConfig { Hidden = 8, Dense = 8 }, new Rng(4))
            : new WindowTransformer(new WindowTransformerConfig { Model = 16, Heads = 2, Layers = 1, FeedForward = 32, HeadHidden = 16 }, new Rng(4));
        var rng = new Rng(5);
        foreach (var (_, p) in model.Module.NamedParameters())
            for (int i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] += (float)(0.3 * rng.NextNormal());
        model.Module.Eval();
        return model;
    }

    /// <summary>Noise of rms 0.025 on a flat baseline with a few pulses from sample 80 on, so the pre-cut keeps some candidates and drops others.</summary>
    private static float[] Waveforms()
    {
        var rng = new Rng(6);
        var x = new float[Count * Samples];
        for (int w = 0; w < Count; w++)
        {
            for (int t = 0; t < Samples; t++) x[w * Samples + t] = 0.1f + (float)(0.025 * rng.NextNormal());
            for (int k = 0; k < 6; k++)
            {
                int at = 80 + (int)(rng.NextDouble() * 200);
                for (int t = at; t < Math.Min(Samples, at + 20); t++) x[w * Samples + t] += (float)(0.3 * (t - at) / 3.0 * Math.Exp(-(t - at) / 3.0));
            }
        }
        return x;
    }

    [Theory]
    [InlineData("transformer", 0.0, 0.5)]
    [InlineData("transformer", 2.0, 0.3)]
    [InlineData("transformer", 3.0, 0.6)]
    [InlineData("lstm", 3.0, 0.5)]
    public void The_peaks_are_the_scorers_on_the_candidates_kept(string kind, double k, double threshold)
    {
        var model = Model(kind);
        var waveforms = Waveforms();
        var info = new PeakModelInfo { Task = DriftChamberModels.WindowTask, Threshold = threshold };
        var preCut = PreCut.At(k, 0.5);
        var all = CandidateFinder.Find(waveforms, Count, Samples, info.Windows);
        var kept = preCut.Apply(waveforms, Count, Samples, all);
        var (scored, _) = new ModelScorer(model, info).Score(waveforms, Count, Samples, kept);
        var found = new PeakList();
        // 37 windows a pass: every pass but the first mixes waveforms.
        var finder = new WindowFinder(model, info, preCut, batch: 37);
        finder.Find(waveforms, Count, Samples, found);

        Assert.Equal(Count, found.Count);
        Assert.Equal(kept.Sum(c => c.Length), finder.Scored);
        if (k > 0) Assert.True(finder.Scored < all.Sum(c => c.Length) / 2, $"the cut kept {finder.Scored} of {all.Sum(c => c.Length)} candidates: it says little");
        int peaks = 0;
        for (int w = 0; w < Count; w++)
        {
            Assert.Equal(scored[w].Above(threshold), found[w].ToArray());
            peaks += found[w].Length;
        }
        Assert.True(peaks > Count, $"only {peaks} peaks in {Count} waveforms: the comparison says little");
    }

    // The cut by hand: the first 50 samples alternate 1 ± 0.1 (baseline 1, rms 0.1 * sqrt(50/49)), and x[t] >= 1 + K rms keeps t.
    [Fact]
    public void The_pre_cut_keeps_the_candidates_K_noise_rms_above_the_baseline()
    {
        var x = new float[100];
        for (int t = 0; t < 50; t++) x[t] = t % 2 == 0 ? 1.1f : 0.9f;
        for (int t = 50; t < 100; t++) x[t] = 1f;
        double rms = 0.1 * Math.Sqrt(50.0 / 49.0);
        x[60] = (float)(1 + 2.9 * rms);
        x[70] = (float)(1 + 3.1 * rms);
        x[80] = 2f;
        int[] candidates = [60, 70, 80, 90];
        int n = PreCut.At(3, 0.5).Apply(x, candidates);
        Assert.Equal([70, 80], candidates[..n]);
        Assert.Equal(4, PreCut.None.Apply(x, candidates.AsSpan()));
    }

    [Fact]
    public void Finding_peaks_allocates_nothing_per_call_after_the_first()
    {
        var info = new PeakModelInfo { Task = DriftChamberModels.WindowTask };
        var finder = new WindowFinder(Model("transformer"), info, PreCut.At(2, 0.5), batch: 64);
        var waveforms = Waveforms();
        var found = new PeakList();
        finder.Find(waveforms, Count, Samples, found);
        Assert.True(finder.Scored > 3 * 64, $"{finder.Scored} windows: fewer than three batches per call");
        Allocations.AssertSteadyStepAllocatesNothing(() => finder.Find(waveforms, Count, Samples, found), "calls");
    }
}
