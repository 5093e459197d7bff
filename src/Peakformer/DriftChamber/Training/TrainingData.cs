using Peakformer.Data;
using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Models;
using Peakformer.DriftChamber.Windows;
using Peakformer.Learning.Splits;
using Peakformer.Learning.Training;

namespace Peakformer.DriftChamber.Training;

/// <summary>Where training examples come from and how they are cut and split.</summary>
public sealed record TrainingDataOptions
{
    public WindowOptions Windows { get; init; } = new() { Balance = true };
    /// <summary>Per-bin targets: bins within this many samples of a truth peak are 1.</summary>
    public int LabelWidth { get; init; } = 1;
    /// <summary>Use at most this many waveforms of an .npz (0: all).</summary>
    public int MaxWaveforms { get; init; }
    /// <summary>Noise augmentation of the training waveforms of an .npz (null: none).</summary>
    public NoiseAugmentation? Augmentation { get; init; }
    /// <summary>
    /// train --normalise: every training and validation waveform normalised per waveform (after augmentation) to the
    /// training data's median noise, which the checkpoint records with <c>input.normalised</c>, so inference does the same.
    /// </summary>
    public bool Normalise { get; init; }
    /// <summary>How to read whole-waveform data (ADC pedestal and gain, sampling, array names, --invert); not used for a window CSV.</summary>
    public Data.Waveforms.WaveformReadOptions Read { get; init; } = Data.Waveforms.WaveformReadOptions.None;
}

/// <summary>
/// Turns a data file into training and validation examples for a model. The split is by waveform either way, so no
/// waveform gives examples to both sides: from an .npz a random split of the waveform indices, from a window CSV a
/// grouped split of the rows by EvtNo (the reference study split the table by row, which put windows of one
/// waveform, overlapping ones among them, on both sides: validation then saw waveforms training had seen).
/// </summary>
public static class TrainingData
{
    public static (IExamples Train, IExamples Validation, string Description) Prepare(IPeakModel model, string path, TrainingDataOptions o,
        TrainingSettings s)
    {
        bool csv = WindowCsv.IsWindowTable(path); // a CSV of whole waveforms (no EvtNo header) is read as waveforms
        if (model.Task == PeakTask.PerBin)
        {
            if (csv) throw new InputException($"--data {path}: the perbin task needs whole waveforms (.npz), found a window CSV");
            using var data = WaveformDataset.Open(path, o.Read);
            data.RequireTruth("training");
            var (train, val) = RandomSplit.Indices(Limit(data.Count, o.MaxWaveforms), s.ValidationFraction, s.Seed);
            double? target = NormaliseTo(data, o);
            var tr = new PerBinExamples(data, train, o.LabelWidth, o.Augmentation, target);
            var va = new PerBinExamples(data, val, o.LabelWidth, null, target);
            return (tr, va, $"{path}: {tr.Count} training and {va.Count} validation waveforms of {data.Samples} samples, {100 * tr.PositiveFraction:F1}% target bins");
        }
        if (csv)
        {
            if (o.Augmentation is not null) throw new InputException($"--augment-noise: needs whole waveforms (.npz), found the window CSV {path}");
            if (o.Normalise) throw new InputException($"--normalise: needs whole waveforms (.npz), found the window CSV {path}");
            var set = WindowCsv.Read(path);
            if (set.Length != model.WindowLength)
                throw new InputException($"--data {path}: windows of {set.Length} samples, the model expects {model.WindowLength}");
            var (train, val) = GroupedSplit.Indices(set.Event, s.ValidationFraction, s.Seed);
            var tr = new WindowExamples(set, train, path);
            var va = new WindowExamples(set, val, path);
            return (tr, va, $"{path}: {Waveforms(train)} + {Waveforms(val)} waveforms (EvtNo) give {tr.Count:N0} training windows ({tr.Signal:N0} signal) and {va.Count:N0} validation windows ({va.Signal:N0} signal)");

            int Waveforms(int[] rows) => rows.Select(r => set.Event[r]).Distinct().Count();
        }
        using (var data = WaveformDataset.Open(path, o.Read))
        {
            data.RequireTruth("training");
            if (o.Windows.Length != model.WindowLength)
                throw new InputException($"--data {path}: the windows are cut with {o.Windows.Length} samples, the model expects {model.WindowLength}");
            var (train, val) = RandomSplit.Indices(Limit(data.Count, o.MaxWaveforms), s.ValidationFraction, s.Seed);
            double? target = NormaliseTo(data, o);
            var trainSet = Windows(data, train, o.Windows, o.Augmentation, target);
            var valSet = Windows(data, val, o.Windows, null, target);
            var tr = new WindowExamples(trainSet, Enumerable.Range(0, trainSet.Count).ToArray(), path);
            var va = new WindowExamples(valSet, Enumerable.Range(0, valSet.Count).ToArray(), path);
            return (tr, va, $"{path}: {train.Length} + {val.Length} waveforms give {tr.Count:N0} training windows ({tr.Signal:N0} signal) and {va.Count:N0} validation windows ({va.Signal:N0} signal){(o.Windows.Balance ? ", background downsampled 1:1" : "")}");
        }
    }

    private static int Limit(int count, int max) => max > 0 ? Math.Min(count, max) : count;

    /// <summary>The noise --normalise scales training waveforms to: the data's median noise, as the checkpoint records it (null: no normalisation).</summary>
    private static double? NormaliseTo(WaveformDataset data, TrainingDataOptions o) =>
        o.Normalise ? Inputs.AmplitudeNormalisation.TrainingNoise(Inputs.InputStatistics.Measure(data)) : null;

    private static WindowSet Windows(WaveformDataset data, int[] events, WindowOptions o, NoiseAugmentation? augmentation, double? normaliseTo)
    {
        var set = new WindowSet(o.Length);
        var scratch = new List<int>();
        var waveforms = data.ReadWaveforms(events);
        augmentation?.Apply(waveforms, data.Samples, data.SamplingNs, events);
        if (normaliseTo is { } noise) Inputs.AmplitudeNormalisation.Apply(waveforms, data.Samples, data.SamplingNs, noise);
        for (int i = 0; i < events.Length; i++)
            WindowExtractor.FromWaveform(events[i], waveforms.AsSpan(i * data.Samples, data.Samples), data.TruthPeaks(events[i]), o, set, scratch);
        return set;
    }
}
