namespace Peakformer.Vision.Evaluation;

/// <summary>Image models on the test split of one data set (metrics.json of the image report).</summary>
public sealed record ImageEvaluationResult
{
    public string Task { get; init; } = global::Peakformer.Vision.Models.VisionModels.ImageTask;
    public required string Data { get; init; }
    public required int Images { get; init; }
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required IReadOnlyList<ImageModelResult> Models { get; init; }
    /// <summary>2D against 1D patches, when a vit and a vit1d were evaluated together.</summary>
    public ImageComparison? Comparison { get; init; }
}
