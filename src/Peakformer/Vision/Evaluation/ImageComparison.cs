using Peakformer.Learning.Metrics;

namespace Peakformer.Vision.Evaluation;

/// <summary>
/// The exercise's question, 2D against 1D patches, answered on the same test images: accuracy (binomial standard
/// error sqrt(p(1 - p) / N)) and macro-F1 (bootstrap standard error) of each, the accuracy difference with its paired
/// standard error and McNemar's exact test on the images exactly one of them got right, parameters and training time.
/// </summary>
public sealed record ImageComparison
{
    public required string Square { get; init; }
    public required string Raster { get; init; }
    public required int Images { get; init; }
    public required double SquareAccuracy { get; init; }
    public required double SquareAccuracyStandardError { get; init; }
    public required double RasterAccuracy { get; init; }
    public required double RasterAccuracyStandardError { get; init; }
    public required double SquareMacroF1 { get; init; }
    public required double SquareMacroF1StandardError { get; init; }
    public required double RasterMacroF1 { get; init; }
    public required double RasterMacroF1StandardError { get; init; }
    /// <summary>Square minus raster accuracy.</summary>
    public required double AccuracyDifference { get; init; }
    public required double AccuracyDifferenceStandardError { get; init; }
    /// <summary>Images only the 2D model classified right (McNemar's b), and only the 1D model (c).</summary>
    public required long OnlySquareRight { get; init; }
    public required long OnlyRasterRight { get; init; }
    [System.Text.Json.Serialization.JsonPropertyName("mcnemar_p")] public required double McNemarP { get; init; }
    public required int SquareParameters { get; init; }
    public required int RasterParameters { get; init; }
    public double? SquareTrainingSeconds { get; init; }
    public double? RasterTrainingSeconds { get; init; }

    /// <summary>The first vit and the first vit1d among the results, or null if either is missing.</summary>
    public static ImageComparison? Of(IReadOnlyList<ImageModelResult> models, IReadOnlyList<int> labels)
    {
        var square = models.FirstOrDefault(m => m.Kind == Models.VisionModels.Vit.Name);
        var raster = models.FirstOrDefault(m => m.Kind == Models.VisionModels.Vit1d.Name);
        if (square is null || raster is null) return null;
        long b = 0, c = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            bool s = square.Predictions[i] == labels[i], r = raster.Predictions[i] == labels[i];
            if (s && !r) b++;
            else if (r && !s) c++;
        }
        return new ImageComparison
        {
            Square = square.Model,
            Raster = raster.Model,
            Images = labels.Count,
            SquareAccuracy = square.Accuracy,
            SquareAccuracyStandardError = square.AccuracyStandardError,
            RasterAccuracy = raster.Accuracy,
            RasterAccuracyStandardError = raster.AccuracyStandardError,
            SquareMacroF1 = square.MacroF1,
            SquareMacroF1StandardError = square.MacroF1StandardError,
            RasterMacroF1 = raster.MacroF1,
            RasterMacroF1StandardError = raster.MacroF1StandardError,
            AccuracyDifference = square.Accuracy - raster.Accuracy,
            AccuracyDifferenceStandardError = McNemar.DifferenceStandardError(b, c, labels.Count),
            OnlySquareRight = b,
            OnlyRasterRight = c,
            McNemarP = McNemar.ExactP(b, c),
            SquareParameters = square.Parameters,
            RasterParameters = raster.Parameters,
            SquareTrainingSeconds = square.TrainingSeconds,
            RasterTrainingSeconds = raster.TrainingSeconds,
        };
    }
}
