using Peakformer.DriftChamber.Counting;
using Peakformer.Learning.Training;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// What a count-model checkpoint records besides its weights: where its input peaks come from, the baselines fitted on
/// the same training split (so every later evaluation compares against them), and how it was trained.
/// </summary>
public sealed record CountModelInfo
{
    /// <summary>
    /// The peak source of the input tokens: "truth", "deriv:N1,N2,N3,N4", "d2:T1,T2" or a peak-model checkpoint
    /// (relative to this checkpoint's folder when it lies below it); empty for waveform models.
    /// </summary>
    public string PeaksFrom { get; init; } = "";
    public double MinAmplitudeSigma { get; init; } = PeakSource.DefaultMinAmplitudeSigma;
    public double SamplingNs { get; init; } = Physics.DriftChamberConstants.SamplingNs;
    public string Data { get; init; } = "";
    /// <summary>Sampling, record length, amplitude unit, baseline and amplitude statistics of the training data; null in checkpoints written before they were stored.</summary>
    public Inputs.InputConventions? Input { get; init; }
    /// <summary>Mean cluster count of the training split: the constant-mean baseline.</summary>
    public double TrainingMean { get; init; }
    /// <summary>Least-squares line of the cluster count on the number of found peaks, on the training split (token models).</summary>
    public LeastSquaresLine? PeakLine { get; init; }
    public TrainingSettings Settings { get; init; } = new();
    public List<EpochRecord> History { get; init; } = [];
    public int BestEpoch { get; init; }
    public double BestValidationMae { get; init; }
    /// <summary>Validation MAE of the constant-mean and least-squares baselines, for the training summary.</summary>
    public double ValidationMaeConstantMean { get; init; }
    public double? ValidationMaePeakLine { get; init; }
}
