using Peakformer.Evaluation;

namespace Peakformer.Tests.Evaluation;

/// <summary>Per-particle peak and count figures, against values worked out by hand.</summary>
public class ParticleResultsTests
{
    [Fact]
    public void Peak_figures_are_split_by_particle_in_code_order()
    {
        // Waveforms 0 and 2 are kaons (code 1), waveform 1 a pion (code 0). Tolerance 1 sample.
        int[][] truth = [[10, 20], [5], [30, 40, 50]];
        int[][] found = [[10, 25], [5, 60], [31, 41]];
        int[] particles = [1, 0, 1];
        var rows = PeakEvaluation.ByParticle(truth, found, particles, 1);
        Assert.Equal(["pion", "kaon"], rows.Select(r => r.Particle));
        var pion = rows[0];
        Assert.Equal((1, 1L, 2L, 1L), (pion.Waveforms, pion.TruthPeaks, pion.FoundPeaks, pion.Matched));
        Assert.Equal(1.0, pion.Efficiency);
        Assert.Equal(0.5, pion.Purity);
        Assert.Equal(2.0 / 3, pion.F1, 12);
        var kaon = rows[1];
        // Kaons: truth 10,20,30,40,50; found 10,25,31,41: matched 10, 30, 40.
        Assert.Equal((2, 5L, 4L, 3L), (kaon.Waveforms, kaon.TruthPeaks, kaon.FoundPeaks, kaon.Matched));
        Assert.Equal(0.6, kaon.Efficiency, 12);
        Assert.Equal(0.75, kaon.Purity, 12);
        Assert.Equal(2 * 0.6 * 0.75 / 1.35, kaon.F1, 12);
    }

    [Fact]
    public void Count_errors_are_split_by_particle()
    {
        double[] predicted = [10, 12, 7, 20];
        double[] truth = [11, 12, 10, 18];
        int[] particles = [3, 0, 3, 0];
        var rows = CountEvaluation.ByParticle(predicted, truth, particles);
        Assert.Equal(["pion", "proton"], rows.Select(r => r.Particle));
        Assert.Equal(2, rows[0].Waveforms);
        Assert.Equal((0 + 2) / 2.0, rows[0].Metrics.Mae, 12);
        Assert.Equal((1 + 3) / 2.0, rows[1].Metrics.Mae, 12);
        Assert.Equal((-1 - 3) / 2.0, rows[1].Metrics.Bias, 12);
    }
}
