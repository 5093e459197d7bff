using System.Diagnostics;
using Peakformer.Data.Images;
using Peakformer.Learning.Metrics;
using Peakformer.Progress;
using Peakformer.Vision.Models;

namespace Peakformer.Vision.Evaluation;

/// <summary>
/// Image models on a data set's test split (ImageSplit.Test, read by the caller): accuracy, per-class precision / recall / F1, macro- and
/// weighted-F1 and the confusion matrix over all the model's classes (<see cref="ClassificationMetrics"/>).
/// </summary>
public static class ImageEvaluation
{
    /// <summary>Misclassified images kept per model for the report, most confident first.</summary>
    public const int MistakesKept = 24;

    /// <summary>The models on <paramref name="set"/>; with <paramref name="expectedTask"/>, a checkpoint of another task is refused.</summary>
    public static ImageEvaluationResult Run(ImageSet set, IReadOnlyList<string> modelPaths, IProgressReporter progress, string? expectedTask = null)
    {
        if (modelPaths.Count == 0) throw new InputException("--models: expected at least one image-model checkpoint, found none");
        progress.Note($"{set.Source}: {set.Count:N0} test images of {set.Channels}x{set.Height}x{set.Width}, {set.Classes} classes");
        var results = new List<ImageModelResult>();
        IReadOnlyList<string> names = set.ClassNames;
        string? task = expectedTask;
        foreach (string path in modelPaths)
        {
            var (model, info) = ImageCheckpoint.Load(path);
            ImageCheckpoint.RequireShape(path, info, set);
            names = info.ClassNames;
            if (task is not null && info.Task != task) throw new InputException($"{path}: task: expected {task}{(expectedTask is null ? " (as the first model)" : " (--task)")}, found a {info.Task} model");
            task = info.Task;
            var clock = Stopwatch.StartNew();
            int k = model.Config.Classes;
            var probabilities = ImagePrediction.Probabilities(model, set, progress);
            var predicted = ArgMax.Rows(probabilities, k);
            var classes = Enumerable.Range(0, k).ToArray();
            var m = ClassificationMetrics.Of(set.Labels, predicted, classes, path);
            results.Add(new ImageModelResult
            {
                Model = Path.GetFileNameWithoutExtension(path),
                Kind = model.Kind,
                Path = path,
                Accuracy = m.Accuracy,
                AccuracyStandardError = ImageUncertainty.AccuracyStandardError(m.Accuracy, set.Count),
                MacroF1StandardError = ImageUncertainty.MacroF1StandardError(set.Labels, predicted, classes),
                MacroPrecision = m.MacroPrecision,
                MacroRecall = m.MacroRecall,
                MacroF1 = m.MacroF1,
                WeightedF1 = m.WeightedF1,
                PerClass = m.PerClass.Select(c => new ImageClassResult(c.Class, info.ClassNames[c.Class], c.Precision, c.Recall, c.F1, c.Support)).ToList(),
                Confusion = m.Confusion.Counts,
                History = info.History,
                BestEpoch = info.BestEpoch,
                Seconds = clock.Elapsed.TotalSeconds,
                Parameters = model.ParameterCount,
                TrainingSeconds = info.History.Count == 0 ? null : info.History.Sum(e => e.Seconds),
                Mistakes = Mistakes(set.Labels, predicted, probabilities, k, info.ClassNames),
                Predictions = predicted,
            });
        }
        return new ImageEvaluationResult
        {
            Task = task!, Data = set.Source, Images = set.Count, ClassNames = names, Models = results, Comparison = ImageComparison.Of(results, set.Labels),
        };
    }

    /// <summary>The misclassified images, most confident first (ties: lower index first).</summary>
    private static List<ImageMistake> Mistakes(int[] labels, int[] predicted, float[] probabilities, int k, IReadOnlyList<string> names) =>
        Enumerable.Range(0, labels.Length).Where(i => predicted[i] != labels[i])
            .OrderByDescending(i => probabilities[(long)i * k + predicted[i]]).ThenBy(i => i).Take(MistakesKept)
            .Select(i => new ImageMistake(i, labels[i], names[labels[i]], predicted[i], names[predicted[i]], probabilities[(long)i * k + predicted[i]]))
            .ToList();
}
