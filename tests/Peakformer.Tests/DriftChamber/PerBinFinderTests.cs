using Peakformer.Engine.Tests.Support;
using Peakformer.DriftChamber.Finders;
using Peakformer.DriftChamber.Models;
using Peakformer.Engine.Randomness;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.DriftChamber;

/// <summary>
/// The batched per-bin finder gives the peaks of the scorer evaluate and predict use (<see cref="ModelScorer"/>, then
/// <see cref="ScoredPeaks.Above"/>) at every threshold, and allocates nothing per batch once warm.
/// </summary>
[Collection(SharedPoolCollection.Name)]
public class PerBinFinderTests
{
    private const int Samples = 300, Count = 20;

    /// <summary>A small patch transformer with its weights moved off their initial range, so its logits vary along a record.</summary>
    private static PatchTransformer Model()
    {
        var model = new PatchTransformer(new PatchTransformerConfig { Patch = 8, FrontChannels = 4, Model = 16, Heads = 2, Layers = 1, FeedForward = 32 }, new Rng(4));
        var rng = new Rng(5);
        foreach (var (_, p) in model.NamedParameters())
            for (int i = 0; i < p.Value.Data.Length; i++) p.Value.Data[i] += (float)(0.3 * rng.NextNormal());
        model.Eval();
        return model;
    }

    private static float[] Waveforms()
    {
        var rng = new Rng(6);
        return Enumerable.Range(0, Count * Samples).Select(_ => (float)rng.NextNormal()).ToArray();
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void The_peaks_are_the_scorers_above_the_threshold(double threshold)
    {
        var model = Model();
        var waveforms = Waveforms();
        var (scored, _) = new ModelScorer(model, new PeakModelInfo { Task = DriftChamberModels.PerBinTask })
            .Score(waveforms, Count, Samples, Enumerable.Range(0, Count).Select(_ => Array.Empty<int>()).ToArray());
        var found = new PeakList();
        new PerBinFinder(model, threshold, batch: 7).Find(waveforms, Count, Samples, found);

        Assert.Equal(Count, found.Count);
        int peaks = 0;
        for (int w = 0; w < Count; w++)
        {
            Assert.Equal(scored[w].Above(threshold), found[w].ToArray());
            peaks += found[w].Length;
        }
        Assert.True(peaks > Count, $"only {peaks} peaks in {Count} waveforms: the comparison says little");
    }

    // A threshold a hair above a peak's score (float) rounds to that score in float: the finder must compare in double,
    // as ScoredPeaks.Above does, or it keeps the peak the scorer drops.
    [Fact]
    public void A_threshold_just_above_a_peaks_score_drops_that_peak_as_the_scorer_does()
    {
        var model = Model();
        var waveforms = Waveforms();
        var (scored, _) = new ModelScorer(model, new PeakModelInfo { Task = DriftChamberModels.PerBinTask })
            .Score(waveforms, Count, Samples, Enumerable.Range(0, Count).Select(_ => Array.Empty<int>()).ToArray());
        int w = Enumerable.Range(0, Count).First(i => scored[i].Scores.Any(s => s > 0.3f));
        float score = scored[w].Scores.Where(s => s > 0.3f).Min();
        double threshold = score + 1e-12;
        Assert.Equal(score, (float)threshold);
        var found = new PeakList();
        new PerBinFinder(model, threshold, batch: 7).Find(waveforms, Count, Samples, found);
        for (int i = 0; i < Count; i++) Assert.Equal(scored[i].Above(threshold), found[i].ToArray());
    }

    [Fact]
    public void Finding_peaks_allocates_nothing_per_batch_after_the_first()
    {
        var finder = new PerBinFinder(Model(), 0.5, batch: 8);
        var waveforms = Waveforms();
        var found = new PeakList();
        Allocations.AssertSteadyStepAllocatesNothing(() => finder.Find(waveforms, Count, Samples, found), "calls of 3 batches each");
    }
}
