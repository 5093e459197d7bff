using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Counting;
using Peakformer.DriftChamber.Simulation;
using Peakformer.Learning.Models;
using Peakformer.Progress;
using Peakformer.Reports;
using Peakformer.Reports.Svg;

namespace Peakformer.Workflows;

/// <summary>
/// <c>show</c>: one waveform with the peaks of each finder in a panel of its own (<see cref="WaveformFigure"/>), and
/// its truth in every panel when the file has truth. Finders find peaks exactly as <c>count</c> and <c>predict</c> do
/// (<see cref="PeakSources"/>: deriv/d2 at the published typical thresholds, a model at its threshold).
/// </summary>
public static class ShowWaveform
{
    public static PanelStack Figure(ShowSettings s, IProgressReporter progress)
    {
        s.Validate();
        using var data = WaveformDataset.Open(s.DataPath, s.Read);
        foreach (string note in data.Notes) progress.Note(note);
        if (s.Event >= data.Count) throw InputException.At(s.DataPath, null, "--event", $"an index in [0, {data.Count})", s.Event.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var batch = data.HasTruth ? WaveformBatch.Read(data, [s.Event]) : WaveformBatch.WithoutTruth(data, s.Event, 1);
        var sources = new PeakSources(data.SamplingNs, option: "--model");
        var found = new List<PeakSource>();
        // A model trained on normalised waveforms finds its peaks in the normalised waveform, as in predict (the
        // panel draws the waveform as read: normalising moves no peak in time).
        var inputs = new List<WaveformBatch>();
        foreach (string spec in s.Methods)
        {
            var source = sources.Get(spec, PeakSource.DefaultMinAmplitudeSigma);
            var normalisation = source.Carried is { } model ? DriftChamber.Inputs.InputNormalisation.Decide(false, model.Info.Input, spec, progress) : null;
            if (source.Carried is { } checkedModel)
                DriftChamber.Inputs.InputCheck.Run(data, checkedModel.Info.Input, checkedModel.Info.SamplingNs, spec, progress, normalisation is not null);
            found.Add(source);
            inputs.Add(normalisation is null ? batch : normalisation.Apply(batch));
        }
        // DERIV/D2 panels meet the same checks as count and predict give them (ADC counts, negative pulses).
        var classical = found.Where(f => f.Carried is null && f.ModelFile is null).Select(f => f.Name).ToList();
        if (classical.Count > 0) CountPrediction.CheckClassical(data, string.Join("/", classical), progress);
        // Two models of one kind are told apart by their file names.
        var names = ModelLabels.Distinct(found.Select(f => (f.Name, f.ModelFile)).ToList());
        var detections = found.Select((f, k) => (names[k], (IReadOnlyList<int>)f.Find(inputs[k])[0].Samples)).ToList();
        return WaveformFigure.Build(data, s.Event, batch.Waveforms, detections, s.FromNs, s.ToNs);
    }
}
