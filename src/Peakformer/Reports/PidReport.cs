using Peakformer.DriftChamber.Identification;
using Peakformer.Reports.Svg;

namespace Peakformer.Reports;

/// <summary>Writes a particle-identification study as pid/index.html with SVG figures and pid/metrics.json.</summary>
public static class PidReport
{
    public static void Write(string folder, PidResult r)
    {
        using var output = new ReportFolder(folder);
        string pair = $"{r.Particles[0]}/{r.Particles[1]}";
        var momenta = r.MomentaGeV;

        var separation = new SvgPlot($"{pair} separation power against momentum", "momentum [GeV/c]", "separation S [σ]")
        { LegendPosition = "outside", LogX = true, YMin = 0 };
        var (grid, ideal) = IdealCurve(r);
        separation.Line(grid, ideal, Palette.Black, $"ideal Poisson ({r.TrackLengthCm:F0} cm)", 1.5, "6,4");
        var relative = new SvgPlot("Separation relative to the ideal Poisson expectation", "momentum [GeV/c]", "S / S ideal") { LegendPosition = "outside", LogX = true };
        relative.Line([momenta.Min(), momenta.Max()], [1, 1], Palette.Grey, "ideal", 1, "4,4");
        for (int k = 0; k < r.Methods.Count; k++)
        {
            var m = r.Methods[k];
            var s = m.Points.Select(p => p.Separation ?? double.NaN).ToArray();
            var error = m.Points.Select(p => double.IsFinite(p.SeparationError) ? p.SeparationError : 0).ToArray();
            separation.Line(momenta, s, Palette.Nth(k), m.Name, 1.6).ErrorBars(momenta, s, error, Palette.Nth(k));
            var ratio = m.Points.Select(p => (p.Separation ?? double.NaN) / p.IdealSeparation).ToArray();
            relative.Line(momenta, ratio, Palette.Nth(k), m.Name, 1.6)
                .ErrorBars(momenta, ratio, m.Points.Select((p, i) => error[i] / p.IdealSeparation).ToArray(), Palette.Nth(k));
        }
        output.Save(separation, "separation.svg",
            $"Separation power S = |μ({r.Particles[0]}) − μ({r.Particles[1]})| / ((σ({r.Particles[0]}) + σ({r.Particles[1]})) / 2) of the per-track cluster count, {r.Tracks:N0} tracks of {r.Cells} cells per point; error bars: spread over {r.Replicas} bootstrap replicas. Dashed: ideal Poisson counting over {r.TrackLengthCm:F0} cm.");
        output.Save(relative, "separation_ratio.svg", "Each method's separation over the ideal Poisson expectation at the same track length.");

        foreach (var (d, i) in r.Distributions.Select((d, i) => (d, i)))
            output.Save(new SvgPlot($"{d.Method} at {d.MomentumGeV:G4} GeV/c", $"clusters per track (scaled to {r.TrackLengthCm:F0} cm)", "tracks")
                    .Histogram(d.Edges, d.CountsA.Select(c => (double)c).ToArray(), Palette.Blue, r.Particles[0])
                    .Histogram(d.Edges, d.CountsB.Select(c => (double)c).ToArray(), Palette.Vermillion, r.Particles[1]),
                $"distribution_{i}.svg", $"Track cluster counts of {d.Method} for {pair} at {d.MomentumGeV:G4} GeV/c.");
        output.Finish(r, Html(r));
    }

    /// <summary>The ideal S on a fine logarithmic momentum grid over the study's range (widened around a single momentum).</summary>
    private static (double[] Momentum, double[] S) IdealCurve(PidResult r)
    {
        var a = DriftChamber.Physics.Particles.Parse(r.Particles[0], "particles");
        var b = DriftChamber.Physics.Particles.Parse(r.Particles[1], "particles");
        double lo = r.MomentaGeV.Min(), hi = r.MomentaGeV.Max();
        // One momentum (or a narrow range) still gets a curve to compare the points with.
        if (hi < 1.5 * lo) (lo, hi) = (lo / 1.5, hi * 1.5);
        var grid = Enumerable.Range(0, 121).Select(i => lo * Math.Pow(hi / lo, i / 120.0)).ToArray();
        return (grid, grid.Select(p => Separation.IdealPoisson(a, b, p, r.TrackLengthCm)).ToArray());
    }

    private static HtmlPage Html(PidResult r)
    {
        var F = HtmlPage.F;
        var E = HtmlPage.E;
        var P = HtmlPage.Percent;
        string S(PidPoint p) => p.Separation is { } s ? $"{F(s, "F2")} ± {F(p.SeparationError, "F2")}" : "no spread";
        var header = new[] { "method" }.Concat(r.MomentaGeV.Select(p => $"{F(p, "G4")} GeV/c"));
        var page = new HtmlPage($"Peakformer {r.Particles[0]}/{r.Particles[1]} identification by cluster counting")
            .Note($"{E(r.Preset)} cells, {r.Tracks:N0} tracks per particle and momentum, {r.Cells} cells per track (mean {F(r.CellLengthCm, "F3")} cm of gas per cell, " +
                $"{F(r.TrackLengthCm, "F1")} cm per track); {r.Pool:N0} simulated cells per particle and momentum, seed {r.Seed}. Each track's count is scaled to " +
                $"{F(r.TrackLengthCm, "F1")} cm (count × nominal length / its path length). Clusterisation s = {F(r.ClusterisationS, "G3")} ns<sup>1/2</sup>; " +
                $"classical thresholds {E(r.TuningData is null ? "at the published typical values" : $"tuned on {r.TuningData}")}. Ran in {F(r.Seconds, "F0")} s.")
            .Heading("Separation power S")
            .Table(header, r.Methods.Select(m => new[] { E(m.Name) }.Concat(m.Points.Select(S)))
                .Append(new[] { "ideal Poisson" }.Concat(r.Methods[0].Points.Select(p => F(p.IdealSeparation, "F2")))))
            .Note("± is the standard deviation of S over bootstrap replicas (cell pools and tracks redrawn).");
        if (r.Comparisons.Count > 0)
            page.Heading("Relative separation").Table(new[] { "method", "against", "mean" }.Concat(header.Skip(1)),
                    r.Comparisons.Select(c => new[] { E(c.Method), E(c.Reference), $"<b>{(c.MeanGain >= 0 ? "+" : "")}{P(c.MeanGain)}</b>" }
                        .Concat(c.GainByMomentum.Select(g => (g >= 0 ? "+" : "") + P(g)))))
                .Note("S / S<sub>reference</sub> − 1. Truth counting should agree with the ideal Poisson expectation within its statistical error; " +
                    "the published ML counting is about 10% better than derivative-based counting.");
        int show = r.Distributions.Count > 0 ? Array.IndexOf(r.MomentaGeV, r.Distributions[0].MomentumGeV) : 0;
        page.Heading($"Means and spreads at {F(r.MomentaGeV[show], "G4")} GeV/c", 3)
            .Table(["method", $"μ {r.Particles[0]}", $"σ {r.Particles[0]}", "σ/μ", $"μ {r.Particles[1]}", $"σ {r.Particles[1]}", "σ/μ"],
                r.Methods.Select(m => m.Points[show]).Select((p, k) => new[] { E(r.Methods[k].Name), F(p.MeanA, "F1"), F(p.SigmaA, "F2"), P(p.SigmaA / p.MeanA),
                    F(p.MeanB, "F1"), F(p.SigmaB, "F2"), P(p.SigmaB / p.MeanB) }))
            .Note("σ/μ is the relative spread of the track count over the nominal length. It is the dN/dx resolution only for a count that follows the true " +
                "count one to one: a regression such as the count transformer pulls its answers towards the training mean, which shrinks σ and the " +
                "particle difference alike, so compare methods by S. Every momentum is in metrics.json.");
        return page;
    }
}
