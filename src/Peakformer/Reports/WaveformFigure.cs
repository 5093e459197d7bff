using Peakformer.Data.Waveforms;
using Peakformer.Reports.Svg;

namespace Peakformer.Reports;

/// <summary>
/// A waveform drawn as in the reference study: the waveform as a black line, Monte-Carlo truth electron arrival
/// times as vertical lines (orange for primaries, lighter for secondaries), and detected peaks as dots, one colour
/// per finder.
/// </summary>
public static class WaveformFigure
{
    public static SvgPlot Build(WaveformDataset data, int index, float[] samples, IReadOnlyList<(string Finder, IReadOnlyList<int> Peaks)>? detections = null,
        double? fromNs = null, double? toNs = null)
    {
        if (index < 0 || index >= data.Count) throw new InputException($"--event: expected an index in [0, {data.Count}), found {index}");
        double dt = data.SamplingNs;
        // An empty, reversed or non-finite time axis would put NaN coordinates into the SVG.
        double record = samples.Length * dt;
        if (fromNs is { } f) Finite.InRange("--from-ns", f, -record, 2 * record);
        if (toNs is { } u) Finite.InRange("--to-ns", u, -record, 2 * record);
        if ((fromNs ?? 0) >= (toNs ?? record))
            throw InputException.At(null, null, "--to-ns", $"a time after --from-ns ({Finite.Describe(fromNs ?? 0)} ns)", Finite.Describe(toNs ?? record));
        var t = Enumerable.Range(0, samples.Length).Select(i => i * dt).ToArray();
        var y = samples.Select(v => (double)v).ToArray();
        string title = $"{Path.GetFileName(data.Path)}, event {index}";
        if (data.HasTruth && data.BetaGamma.Length > 0)
            title += $": {Physics(data, index)}";
        var plot = new SvgPlot(title, "time [ns]", "amplitude", width: 1100, height: 420) { XMin = fromNs, XMax = toNs, LegendPosition = "outside" };
        if (data.HasTruth)
        {
            var (start, end) = data.ElectronRange(index);
            var primaries = new List<double>();
            var secondaries = new List<double>();
            for (int e = start; e < end; e++) (data.ElectronTag[e] == 1 ? primaries : secondaries).Add(data.ElectronTimeNs[e]);
            plot.VerticalLines(secondaries, Palette.LightOrange, $"truth secondary electrons ({secondaries.Count})", 1, 0.8);
            plot.VerticalLines(primaries, Palette.Orange, $"truth primary electrons ({primaries.Count})", 1.3, 0.95);
        }
        plot.Line(t, y, Palette.Black, "waveform", 1.1);
        if (detections is not null)
            for (int k = 0; k < detections.Count; k++)
            {
                var (finder, peaks) = detections[k];
                plot.Points(peaks.Select(p => p * dt).ToArray(), peaks.Select(p => (double)samples[p]).ToArray(), Palette.Nth(k), $"{finder} ({peaks.Count})");
            }
        return plot;
    }

    private static string Physics(WaveformDataset d, int i) =>
        $"{DriftChamber.Physics.Particles.Name(DriftChamber.Physics.Particles.Of(d, i))} {d.MomentumGeV[i]:G3} GeV/c, {d.Clusters[i]} clusters, {d.ElectronRange(i).End - d.ElectronRange(i).Start} electrons";
}
