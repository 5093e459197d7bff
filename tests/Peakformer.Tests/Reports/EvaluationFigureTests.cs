using System.Globalization;
using System.Text.RegularExpressions;
using Peakformer.Data.Waveforms;
using Peakformer.Evaluation;
using Peakformer.Learning.Metrics;
using Peakformer.Reports;
using Peakformer.Tests.Evaluation;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Reports;

/// <summary>
/// What the evaluation and count reports draw and tabulate: the pile-up axis labelled by its bins, error bars at
/// SciPy's Wilson intervals (Golden/binomial_intervals.json), and one table row per finder and particle.
/// </summary>
public partial class EvaluationFigureTests
{
    // SvgPlot's default frame: 460 px high, plot area from y = 40 to 460 - 56; the figures fix the y axis to [0, 1].
    private static double Value(double py) => (460 - 56 - py) / (460 - 56 - 40);

    [GeneratedRegex("<line class=\"error-bar\"[^>]* y1=\"([-0-9.]+)\" y2=\"([-0-9.]+)\"")]
    private static partial Regex ErrorBar();

    [GeneratedRegex("<text class=\"x-tick\"[^>]*>([^<]*)</text>")]
    private static partial Regex XTick();

    private static List<(double Low, double High)> Bars(string svg) => ErrorBar().Matches(svg)
        .Select(m => (Value(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)), Value(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))).ToList();

    private static void Near((double Low, double High) drawn, double[] golden, string where)
    {
        Assert.True(Math.Abs(drawn.Low - golden[0]) < 2e-5, $"{where}: drawn low {drawn.Low:R}, scipy {golden[0]:R}");
        Assert.True(Math.Abs(drawn.High - golden[1]) < 2e-5, $"{where}: drawn high {drawn.High:R}, scipy {golden[1]:R}");
    }

    [Fact]
    public void The_pile_up_axis_is_labelled_by_its_bins_with_wilson_bars()
    {
        var cases = BinomialIntervalTests.Cases().Take(6).ToArray();
        var finder = new FinderMetrics
        {
            Name = "DERIV",
            Kind = "classical",
            TruthByPileUp = cases.Select(c => c.N).ToArray(),
            MatchedByPileUp = cases.Select(c => c.K).ToArray(),
            EfficiencyByPileUp = cases.Select(c => (double)c.K / c.N).ToArray(),
        };
        string svg = EvaluationReport.PileUp(new EvaluationResult { Data = "d.npz", Finders = [finder] }).Render();
        Assert.Equal(["0", "1", "2", "3", "4-5", "6+"], XTick().Matches(svg).Select(m => m.Groups[1].Value));
        var bars = Bars(svg);
        Assert.Equal(6, bars.Count);
        for (int i = 0; i < 6; i++) Near(bars[i], cases[i].Wilson, $"bin {i}, k={cases[i].K}, n={cases[i].N}");
    }

    [Fact]
    public void The_bin_labels_name_what_the_bins_hold()
    {
        // 0-3 neighbours each their own bin, 4 and 5 together, 6 and more together.
        Assert.Equal("3", PeakScore.PileUpBins[PeakScore.PileUpBin(3)]);
        Assert.Equal("4-5", PeakScore.PileUpBins[PeakScore.PileUpBin(4)]);
        Assert.Equal("4-5", PeakScore.PileUpBins[PeakScore.PileUpBin(5)]);
        Assert.Equal("6+", PeakScore.PileUpBins[PeakScore.PileUpBin(6)]);
        Assert.Equal("6+", PeakScore.PileUpBins[PeakScore.PileUpBin(40)]);
    }

    [Fact]
    public void Efficiency_and_purity_against_threshold_carry_wilson_bars()
    {
        var cases = BinomialIntervalTests.Cases().Where(c => c.N >= 10).ToArray();
        // Efficiency is matched / truth peaks and purity matched / found: the same golden case serves each, in turn.
        var curve = cases.Select((c, i) => new CurvePoint(0.05 * (i + 1), (double)c.K / c.N, (double)c.K / c.N) { Matched = c.K, TruthPeaks = c.N, FoundPeaks = c.N }).ToList();
        var model = new FinderMetrics { Name = "window transformer", Kind = "model", Curve = curve };
        var classical = new FinderMetrics { Name = "D2", Kind = "classical", Efficiency = 0.4, Purity = 0.6 };
        var figures = EvaluationReport.ThresholdScans(new EvaluationResult { Data = "d.npz", Finders = [classical, model] }).ToList();
        Assert.Equal(["efficiency_threshold.svg", "purity_threshold.svg"], figures.Select(f => f.File));
        foreach (var (figure, file, caption) in figures)
        {
            Assert.Contains("Wilson", caption);
            var bars = Bars(figure.Render());
            Assert.Equal(cases.Length, bars.Count);
            for (int i = 0; i < cases.Length; i++) Near(bars[i], cases[i].Wilson, $"{file}, k={cases[i].K}, n={cases[i].N}");
        }
    }

    /// <summary>A classical finder's figures with every array a report draws filled.</summary>
    private static FinderMetrics Finder(string name) => new()
    {
        Name = name,
        Kind = "classical",
        Efficiency = 0.5,
        Purity = 0.5,
        EfficiencyByPileUp = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4],
        TruthByPileUp = [10, 10, 10, 10, 10, 10],
        MatchedByPileUp = [9, 8, 7, 6, 5, 4],
        ResidualHistogramEdgesNs = [-0.5, 0.5],
        ResidualHistogram = [3],
    };

    [Fact]
    public void The_reports_have_a_row_per_finder_and_particle()
    {
        using var folder = new TempFolder();
        var particles = new List<ParticlePeakMetrics> { new("pion", 3, 0.5, 0.25, 1.0 / 3, 4, 8, 2), new("kaon", 2, 1, 1, 1, 1, 1, 1) };
        var result = new EvaluationResult
        {
            Data = "d.npz",
            Finders = [Finder("DERIV") with { ByParticle = particles }, Finder("D2") with { ByParticle = particles }],
        };
        using (var data = WaveformDataset.Open(GoldenFiles.Path("wf_f32.npz"))) EvaluationReport.Write(folder.File("peaks"), result, data);
        string html = File.ReadAllText(Path.Combine(folder.File("peaks"), "index.html"));
        Assert.Contains("<h3>Peak finding per particle type</h3>", html);
        Assert.Contains("<tr><td>DERIV</td><td>pion</td><td>3</td><td><b>0.3333</b></td><td>0.5000</td><td>0.2500</td>", html);
        Assert.Contains("<tr><td>D2</td><td>kaon</td><td>2</td><td><b>1.0000</b></td>", html);
        Assert.Equal(4, Regex.Matches(html, "<tr><td>(DERIV|D2)</td><td>(pion|kaon)</td>").Count);

        var method = new CountMethodResult
        {
            Name = "D2 + clusterisation",
            Kind = "classical",
            Overall = new RegressionMetrics(3, 10, 1, 1, 0, 0.1),
            ByParticle = [new ParticleCount("pion", 2, new RegressionMetrics(2, 10, 1.5, 2.5, 0.5, 0.1)), new ParticleCount("proton", 1, new RegressionMetrics(1, 10, 0, 0, 0, 0))],
            ResponseFrom = 10,
            Response = [10],
            ResidualEdges = [-0.5, 0.5],
            ResidualHistogram = [3],
        };
        CountReport.Write(folder.File("counts"), new CountEvaluationResult { Data = "d.npz", Waveforms = 3, Methods = [method], MomentumBins = [new MomentumBin(1, 2, 3)] });
        html = File.ReadAllText(Path.Combine(folder.File("counts"), "index.html"));
        Assert.Contains("<tr><td>D2 + clusterisation</td><td>pion</td><td>2</td><td><b>1.500</b></td>", html);
        Assert.Contains("<tr><td>D2 + clusterisation</td><td>proton</td><td>1</td><td><b>0.000</b></td>", html);
    }

    [Fact]
    public void Reports_of_data_without_particles_have_no_particle_table()
    {
        using var folder = new TempFolder();
        var result = new EvaluationResult { Data = "d.npz", Finders = [Finder("DERIV")] };
        using (var data = WaveformDataset.Open(GoldenFiles.Path("wf_f32.npz"))) EvaluationReport.Write(folder.File("peaks"), result, data);
        Assert.DoesNotContain("per particle", File.ReadAllText(Path.Combine(folder.File("peaks"), "index.html")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Evaluations_of_data_with_particles_break_down_by_particle()
    {
        // A simulated pion/kaon mix: the evaluations themselves (not a hand-made result) fill the per-particle rows.
        using var folder = new TempFolder();
        string data = folder.File("mix.npz");
        Assert.Equal(0, Cli.CliHarness.Run("simulate", "--events", "12", "--particle", "pion,kaon", "--momentum", "2:50", "--seed", "4", "--out", data).Exit);
        var peaks = PeakEvaluation.Run(new EvaluationSettings { DataPath = data, Classical = ["deriv"], ExampleWaveforms = 0 }, new Progress.NullProgress());
        var byParticle = peaks.Finders.Single().ByParticle;
        Assert.Equal(["kaon", "pion"], byParticle.Select(p => p.Particle).Order().ToArray());
        Assert.Equal(12, byParticle.Sum(p => p.Waveforms));
        Assert.Equal(peaks.Finders.Single().TruthPeaks, byParticle.Sum(p => p.TruthPeaks));
        var counts = CountEvaluation.Run(new CountEvaluationSettings { DataPath = data, Classical = ["deriv"], TruthPeaks = false, MomentumBins = 1 }, new Progress.NullProgress());
        Assert.All(counts.Methods, m => Assert.Equal(12, m.ByParticle.Sum(p => p.Waveforms)));
        Assert.Contains(counts.Methods, m => m.ByParticle.Select(p => p.Particle).Order().SequenceEqual(["kaon", "pion"]));
    }
}
