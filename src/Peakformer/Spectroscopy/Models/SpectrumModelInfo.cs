using Peakformer.Learning.Training;
using Peakformer.Spectroscopy.Training;

namespace Peakformer.Spectroscopy.Models;

/// <summary>
/// What a spectrum-model checkpoint records besides its weights: the classes it names, the shift axis it reads (after
/// preprocessing) and the axis of the spectra it was trained on (before), the preprocessing pipeline that evaluate and
/// predict apply again, and how it was trained (settings, augmentation, label smoothing, class weights, every epoch, the best one).
/// </summary>
public sealed record SpectrumModelInfo
{
    public string Task { get; init; } = SpectrumModels.SpectrumTask;
    /// <summary>Class k's name (index k of the logits).</summary>
    public required IReadOnlyList<string> ClassNames { get; init; }
    /// <summary>Raman shift of each point the model reads, cm^-1 (the preprocessed axis).</summary>
    public required double[] Axis { get; init; }
    /// <summary>Raman shift of each point of the training data before preprocessing.</summary>
    public required double[] InputAxis { get; init; }
    /// <summary>The pipeline's canonical text (PreprocessingPipeline.Spec), empty for none.</summary>
    public string Preprocessing { get; init; } = "";
    /// <summary>
    /// Steps the training data had already been through before the pipeline (its preprocessing_json, canonical text),
    /// empty for none (and in checkpoints from before it was recorded); evaluate and predict require the same of their data.
    /// </summary>
    public string InputPreprocessing { get; init; } = "";
    public SpectrumAugmentation Augmentation { get; init; } = SpectrumAugmentation.None;
    public float LabelSmoothing { get; init; }
    /// <summary>Balanced class weights w_c = N / (K max(n_c, 1)) of the training side (§8), when the loss used them.</summary>
    public IReadOnlyList<float>? ClassWeights { get; init; }
    public string Data { get; init; } = "";
    public TrainingSettings Settings { get; init; } = new();
    public List<EpochRecord> History { get; init; } = [];
    public int BestEpoch { get; init; }
    public double BestValidationMacroF1 { get; init; }
}
