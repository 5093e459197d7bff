using Peakformer.Learning.Training;
using Peakformer.Vision.Data;

namespace Peakformer.Vision.Models;

/// <summary>
/// What an image-model checkpoint records besides its weights: the classes it names, the image shape and
/// normalisation it reads, and how it was trained (settings, augmentation, label smoothing, every epoch, the best one).
/// </summary>
public sealed record ImageModelInfo
{
    public string Task { get; init; } = VisionModels.ImageTask;
    /// <summary>Class k's name (index k of the logits).</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    public required int Channels { get; init; }
    public required int Height { get; init; }
    public required int Width { get; init; }
    /// <summary>Pixels in [0, 1] become (x - mean) / std (<see cref="ImageTransform"/>).</summary>
    public float Mean { get; init; } = ImageTransform.Mean;
    public float Std { get; init; } = ImageTransform.Std;
    public ImageAugmentation Augmentation { get; init; } = ImageAugmentation.None;
    public float LabelSmoothing { get; init; } = VisionModels.LabelSmoothing;
    public string Data { get; init; } = "";
    public TrainingSettings Settings { get; init; } = new();
    public List<EpochRecord> History { get; init; } = [];
    public int BestEpoch { get; init; }
    public double BestValidationMacroF1 { get; init; }
}
