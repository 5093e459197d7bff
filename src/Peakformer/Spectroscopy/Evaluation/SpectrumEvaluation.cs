using System.Diagnostics;
using Peakformer.Learning.Metrics;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;
using Peakformer.Vision.Evaluation;

namespace Peakformer.Spectroscopy.Evaluation;

/// <summary>
/// Spectrum models on a labelled set: each checkpoint's preprocessing applied again (<see cref="SpectrumInput"/>),
/// accuracy, per-class precision / recall / F1, macro- and weighted-F1 and the confusion matrix over all the model's
/// classes (§9, <see cref="ClassificationMetrics"/>), standard errors (binomial for accuracy, a seeded bootstrap for
/// macro-F1, as the image evaluation), and the saliency over the shift axis of the gradient-trained kinds.
/// </summary>
public static class SpectrumEvaluation
{
    public static SpectrumEvaluationResult Run(SpectrumSet raw, string source, IReadOnlyList<string> modelPaths, IProgressReporter progress)
    {
        if (modelPaths.Count == 0) throw new InputException("--models: expected at least one spectrum-model checkpoint, found none");
        progress.Note($"{source}: {raw.Count:N0} spectra of {raw.Length} points, {raw.ClassNames.Count} classes");
        var results = new List<SpectrumModelResult>();
        IReadOnlyList<string> names = raw.ClassNames;
        foreach (string path in modelPaths)
        {
            var (model, kind, info) = SpectrumCheckpoint.Load(path);
            var set = SpectrumInput.Prepare(path, info, raw, source, progress);
            if (info.Preprocessing.Length > 0) progress.Note($"{path}: spectra preprocessed as the model was trained: {info.Preprocessing}");
            names = info.ClassNames;
            int k = info.ClassNames.Count;
            var clock = Stopwatch.StartNew();
            string label = Path.GetFileNameWithoutExtension(path);
            var probabilities = SpectrumPrediction.Probabilities(model, k, set, progress, label);
            var predicted = ArgMax.Rows(probabilities, k);
            double seconds = clock.Elapsed.TotalSeconds;
            var classes = Enumerable.Range(0, k).ToArray();
            var m = ClassificationMetrics.Of(set.Labels, predicted, classes, path);
            results.Add(new SpectrumModelResult
            {
                Model = label,
                Kind = kind.Name,
                DisplayName = kind.DisplayName,
                Path = path,
                Preprocessing = info.Preprocessing,
                Accuracy = m.Accuracy,
                AccuracyStandardError = ImageUncertainty.AccuracyStandardError(m.Accuracy, set.Count),
                MacroF1StandardError = ImageUncertainty.MacroF1StandardError(set.Labels, predicted, classes),
                MacroPrecision = m.MacroPrecision,
                MacroRecall = m.MacroRecall,
                MacroF1 = m.MacroF1,
                WeightedF1 = m.WeightedF1,
                PerClass = m.PerClass.Select(c => new SpectrumClassResult(c.Class, info.ClassNames[c.Class], c.Precision, c.Recall, c.F1, c.Support)).ToList(),
                Confusion = m.Confusion.Counts,
                Saliency = SpectrumPrediction.Saliency(model, k, set, progress, label),
                Axis = set.Wavenumbers,
                History = info.History,
                BestEpoch = info.BestEpoch,
                BestValidationMacroF1 = info.BestValidationMacroF1,
                Parameters = model.Module.ParameterCount,
                Seconds = seconds,
                Predictions = predicted,
            });
        }
        return new SpectrumEvaluationResult { Data = source, Spectra = raw.Count, ClassNames = names, Models = results };
    }
}
