using System.Diagnostics;
using Peakformer.Data.Images;
using Peakformer.Learning.Metrics;
using Peakformer.Progress;
using Peakformer.Vision.Models;

namespace Peakformer.Vision.Evaluation;

/// <summary>
/// Image models on a data set's test split (ImageSplit.Test): accuracy, per-class precision / recall / F1, macro- and
/// weighted-F1 and the confusion matrix over all the model's classes (<see cref="ClassificationMetrics"/>).
/// </summary>
public static class ImageEvaluation
{
    public static ImageEvaluationResult Run(string dataPath, IReadOnlyList<string> modelPaths, IProgressReporter progress)
    {
        if (modelPaths.Count == 0) throw new InputException("--models: expected at least one image-model checkpoint, found none");
        var set = ImageSetReader.Read(dataPath, ImageSplit.Test);
        progress.Note($"{set.Source}: {set.Count:N0} test images of {set.Channels}x{set.Height}x{set.Width}, {set.Classes} classes");
        var results = new List<ImageModelResult>();
        IReadOnlyList<string> names = set.ClassNames;
        foreach (string path in modelPaths)
        {
            var (model, info) = ImageCheckpoint.Load(path);
            ImageCheckpoint.RequireShape(path, info, set);
            names = info.ClassNames;
            var clock = Stopwatch.StartNew();
            var predicted = ImagePrediction.Predicted(ImagePrediction.Probabilities(model, set, progress), model.Config.Classes);
            var m = ClassificationMetrics.Of(set.Labels, predicted, Enumerable.Range(0, model.Config.Classes).ToArray(), path);
            results.Add(new ImageModelResult
            {
                Model = Path.GetFileNameWithoutExtension(path),
                Kind = model.Kind,
                Path = path,
                Accuracy = m.Accuracy,
                MacroPrecision = m.MacroPrecision,
                MacroRecall = m.MacroRecall,
                MacroF1 = m.MacroF1,
                WeightedF1 = m.WeightedF1,
                PerClass = m.PerClass.Select(c => new ImageClassResult(c.Class, info.ClassNames[c.Class], c.Precision, c.Recall, c.F1, c.Support)).ToList(),
                Confusion = m.Confusion.Counts,
                History = info.History,
                BestEpoch = info.BestEpoch,
                Seconds = clock.Elapsed.TotalSeconds,
            });
        }
        return new ImageEvaluationResult { Data = set.Source, Images = set.Count, ClassNames = names, Models = results };
    }
}
