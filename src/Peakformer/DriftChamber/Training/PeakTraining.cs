using Peakformer.Data.Waveforms;
using Peakformer.DriftChamber.Models;
using Peakformer.Progress;
using Peakformer.Learning.Objectives;
using Peakformer.Learning.Training;

namespace Peakformer.DriftChamber.Training;

/// <summary>Prepares the data for a peak model, trains it, and writes the checkpoint with its <see cref="PeakModelInfo"/>.</summary>
public static class PeakTraining
{
    public static TrainingResult Run(IPeakModel model, string dataPath, TrainingDataOptions data, TrainingSettings settings, string checkpoint,
        float? positiveWeight, bool resume, IProgressReporter progress)
    {
        var (train, validation, description) = TrainingData.Prepare(model, dataPath, data, settings);
        progress.Note(description);
        if (model.Task == PeakTask.PerBin && positiveWeight is null && train is PerBinExamples bins)
        {
            // Target bins are a few percent of all bins: weight them so both classes pull equally.
            positiveWeight = (float)Math.Clamp((1 - bins.PositiveFraction) / Math.Max(1e-6, bins.PositiveFraction), 1, 100);
            progress.Note($"positive bins weighted {positiveWeight:F1}x");
        }
        settings = settings with { PositiveWeight = positiveWeight ?? settings.PositiveWeight };
        double samplingNs = DriftChamber.Physics.DriftChamberConstants.SamplingNs;
        Inputs.InputConventions? input = null; // a window CSV holds no whole waveforms to measure
        if (!Peakformer.Data.WindowCsv.IsWindowTable(dataPath))
            using (var d = WaveformDataset.Open(dataPath, data.Read)) (samplingNs, input) = (d.SamplingNs, Inputs.InputStatistics.Measure(d));
        var objective = new BinaryObjective(settings.PositiveWeight, settings.Threshold, settings.MinAuc);
        return Trainer.Train(model, objective, train, validation, settings, progress, best => PeakCheckpoint.Save(checkpoint, model, new PeakModelInfo
        {
            Task = ModelKinds.All.Get(model.Kind, checkpoint).Task,
            Windows = data.Windows,
            LabelWidth = data.LabelWidth,
            Threshold = settings.Threshold,
            SamplingNs = samplingNs,
            Data = description,
            Input = input is null ? null : input with { Normalised = data.Normalise },
            Augmentation = data.Augmentation,
            Settings = settings,
            History = best.History.ToList(),
            BestEpoch = best.BestEpoch,
            BestValidationAuc = best.BestMetric,
        }), checkpoint, resume, label: model.Kind);
    }
}
