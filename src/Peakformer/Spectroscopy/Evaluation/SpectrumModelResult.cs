using System.Text.Json.Serialization;
using Peakformer.Learning.Training;

namespace Peakformer.Spectroscopy.Evaluation;

/// <summary>One spectrum model on a labelled set: overall and per-class figures (§9), the confusion matrix, its saliency and training history.</summary>
public sealed record SpectrumModelResult
{
    public required string Model { get; init; }
    public required string Kind { get; init; }
    public required string DisplayName { get; init; }
    public required string Path { get; init; }
    /// <summary>The checkpoint's preprocessing pipeline, applied to the data before the model ("" for none).</summary>
    public required string Preprocessing { get; init; }
    public required double Accuracy { get; init; }
    /// <summary>Binomial: sqrt(accuracy (1 - accuracy) / N).</summary>
    public required double AccuracyStandardError { get; init; }
    public required double MacroPrecision { get; init; }
    public required double MacroRecall { get; init; }
    public required double MacroF1 { get; init; }
    /// <summary>Seeded bootstrap over the spectra.</summary>
    public required double MacroF1StandardError { get; init; }
    public required double WeightedF1 { get; init; }
    public required IReadOnlyList<SpectrumClassResult> PerClass { get; init; }
    /// <summary>Rows the true class, columns the predicted class, in class order.</summary>
    public required long[][] Confusion { get; init; }
    /// <summary>Mean |d logit_true / d x_k| over the spectra, one value per point of <see cref="Axis"/>; null for k-NN.</summary>
    public double[]? Saliency { get; init; }
    /// <summary>The shift of each point the model reads (after preprocessing).</summary>
    public required double[] Axis { get; init; }
    public required IReadOnlyList<EpochRecord> History { get; init; }
    public required int BestEpoch { get; init; }
    public required double BestValidationMacroF1 { get; init; }
    public required int Parameters { get; init; }
    public required double Seconds { get; init; }
    /// <summary>The predicted class of every spectrum (not in metrics.json).</summary>
    [JsonIgnore] public int[] Predictions { get; init; } = [];
}
