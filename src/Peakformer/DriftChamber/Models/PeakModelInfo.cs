using Peakformer.DriftChamber.Windows;
using Peakformer.Learning.Training;

namespace Peakformer.DriftChamber.Models;

/// <summary>What a peak-model checkpoint records besides its weights: how its inputs were made and how it was trained.</summary>
public sealed record PeakModelInfo
{
    public required string Task { get; init; }
    /// <summary>Window geometry and label tolerance (window models).</summary>
    public WindowOptions Windows { get; init; } = new();
    /// <summary>Per-bin target width (per-bin models).</summary>
    public int LabelWidth { get; init; } = 1;
    public double Threshold { get; init; } = 0.5;
    public double SamplingNs { get; init; } = Physics.DriftChamberConstants.SamplingNs;
    public string Data { get; init; } = "";
    /// <summary>Sampling, record length, amplitude unit, baseline and amplitude statistics of the training data; null in checkpoints written before they were stored.</summary>
    public Inputs.InputConventions? Input { get; init; }
    /// <summary>Noise augmentation of the training waveforms; left out of the checkpoint when none was used.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public Training.NoiseAugmentation? Augmentation { get; init; }
    public TrainingSettings Settings { get; init; } = new();
    public List<EpochRecord> History { get; init; } = [];
    public int BestEpoch { get; init; }
    public double BestValidationAuc { get; init; }
}
