using Peakformer.Data.Waveforms;
using Peakformer.Reports.Svg;

namespace Peakformer.Reports;

/// <summary>
/// A waveform drawn as in the reference study, one panel per finder stacked on one time axis and one amplitude
/// axis: the waveform as a black line, Monte-Carlo truth electron arrival times as vertical lines (orange for
/// primaries, lighter for secondaries) in every panel, and the finder's peaks as dots. Without finders, one panel.
/// <c>show</c> and the evaluation report's example waveforms both draw through here.
/// </summary>
public static class WaveformFigure
{
    /// <summary>The amplitude axis with the unit the data was read in (<see cref="IWaveformSource.AmplitudeUnit"/>): the model's, or ADC counts read unscaled.</summary>
    public static string AmplitudeAxis(string unit) => $"amplitude [{unit}]";

    private const int PanelHeight = 260;

    public static PanelStack Build(WaveformDataset data, int index, float[] samples, IReadOnlyList<(string Finder, IReadOnlyList<int> Peaks)>? detections = null,
        double? fromNs = null, double? toNs = null)
    {
        if (index < 0 || index >= data.Count) throw new InputException($"--event: expected an index in [0, {data.Count}), found {index}");
        double dt = data.SamplingNs;
        // An empty, reversed or non-finite time axis would put NaN coordinates into the SVG.
        double record = samples.Length * dt;
        if (fromNs is { } f) Finite.InRange("--from-ns", f, -record, 2 * record);
        if (toNs is { } u) Finite.InRange("--to-ns", u, -record, 2 * record);
        double from = fromNs ?? 0, to = toNs ?? record;
        if (from >= to)
            throw InputException.At(null, null, "--to-ns", $"a time after --from-ns ({Finite.Describe(from)} ns)", Finite.Describe(to));
        var t = Enumerable.Range(0, samples.Length).Select(i => i * dt).ToArray();
        var y = samples.Select(v => (double)v).ToArray();
        var (low, high) = AmplitudeRange(y, t, from, to);
        string title = $"{Path.GetFileName(data.Path)}, event {index}";
        if (data.HasTruth && data.BetaGamma.Length > 0)
            title += $": {Physics(data, index)}";

        var finders = detections is { Count: > 0 } ? detections : [("", (IReadOnlyList<int>)[])];
        var panels = new List<SvgPlot>();
        for (int k = 0; k < finders.Count; k++)
        {
            var (finder, peaks) = finders[k];
            bool bottom = k == finders.Count - 1;
            string name = finder.Length == 0 ? "waveform" : $"{finder}: {peaks.Count} peaks";
            var plot = new SvgPlot(name, bottom ? "time [ns]" : "", AmplitudeAxis(data.AmplitudeUnit), width: 1100, height: PanelHeight)
            { XMin = from, XMax = to, YMin = low, YMax = high, LegendPosition = "outside" };
            Truth(plot, data, index);
            plot.Line(t, y, Palette.Black, "waveform", 1.1);
            if (finder.Length > 0)
                plot.Points(peaks.Select(p => p * dt).ToArray(), peaks.Select(p => (double)samples[p]).ToArray(), Palette.Nth(k), "peaks found", 3.6);
            panels.Add(plot);
        }
        return new PanelStack(title, panels);
    }

    private static void Truth(SvgPlot plot, WaveformDataset data, int index)
    {
        if (!data.HasTruth)
        {
            plot.LegendNote("truth: none");
            return;
        }
        var (start, end) = data.ElectronRange(index);
        var primaries = new List<double>();
        var secondaries = new List<double>();
        for (int e = start; e < end; e++) (data.ElectronTag[e] == 1 ? primaries : secondaries).Add(data.ElectronTimeNs[e]);
        plot.VerticalLines(secondaries, Palette.LightOrange, $"truth secondary electrons ({secondaries.Count})", 1, 0.8);
        plot.VerticalLines(primaries, Palette.Orange, $"truth primary electrons ({primaries.Count})", 1.3, 0.95);
    }

    /// <summary>One amplitude range for every panel: the samples shown, padded, on round numbers.</summary>
    private static (double Low, double High) AmplitudeRange(double[] y, double[] t, double from, double to)
    {
        var shown = y.Where((v, i) => t[i] >= from && t[i] <= to && double.IsFinite(v)).DefaultIfEmpty(0).ToArray();
        double lo = shown.Min(), hi = shown.Max(), pad = 0.05 * Math.Max(hi - lo, 1e-6);
        var scale = new AxisScale(false);
        scale.Fit(lo - pad, hi + pad);
        return (scale.Min, scale.Max);
    }

    private static string Physics(WaveformDataset d, int i) =>
        $"{DriftChamber.Physics.Particles.Name(DriftChamber.Physics.Particles.Of(d, i))} {d.MomentumGeV[i]:G3} GeV/c, {d.Clusters[i]} clusters, {d.ElectronRange(i).End - d.ElectronRange(i).Start} electrons";
}
