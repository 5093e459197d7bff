using System.Text.Json.Serialization;
using Peakformer.Learning.Training;

namespace Peakformer.Vision.Evaluation;

/// <summary>One image model on the test split: overall figures, per-class figures, the confusion matrix and its training history.</summary>
public sealed record ImageModelResult
{
    public required string Model { get; init; }
    public required string Kind { get; init; }
    public required string Path { get; init; }
    public required double Accuracy { get; init; }
    /// <summary>Binomial: sqrt(accuracy (1 - accuracy) / N).</summary>
    public required double AccuracyStandardError { get; init; }
    public required double MacroPrecision { get; init; }
    public required double MacroRecall { get; init; }
    public required double MacroF1 { get; init; }
    /// <summary>Bootstrap over the test images (<see cref="ImageUncertainty"/>).</summary>
    public required double MacroF1StandardError { get; init; }
    public required double WeightedF1 { get; init; }
    public required IReadOnlyList<ImageClassResult> PerClass { get; init; }
    /// <summary>Rows the true class, columns the predicted class, in class order.</summary>
    public required long[][] Confusion { get; init; }
    public required IReadOnlyList<EpochRecord> History { get; init; }
    public required int BestEpoch { get; init; }
    public required double Seconds { get; init; }
    public required int Parameters { get; init; }
    /// <summary>The training epochs' seconds summed, as the checkpoint records them (null without a history).</summary>
    public double? TrainingSeconds { get; init; }
    /// <summary>Misclassified test images, most confident first (at most <see cref="ImageEvaluation.MistakesKept"/>).</summary>
    public required IReadOnlyList<ImageMistake> Mistakes { get; init; }
    /// <summary>The predicted class of every test image (for paired comparisons; not in metrics.json).</summary>
    [JsonIgnore] public int[] Predictions { get; init; } = [];
}

/// <summary>Precision, recall, F1 and support of one class.</summary>
public sealed record ImageClassResult(int Class, string Name, double Precision, double Recall, double F1, long Support);
