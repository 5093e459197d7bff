using Peakformer.Learning.Training;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// What a tensor-model checkpoint records besides its weights: the channels (names and [C, 6] polarisation vectors)
/// and shift axis it reads, the class and mode whose tensor it predicts, the symmetry penalty lambda it was trained
/// with, and how it was trained (settings, every epoch, the best one by validation RMSE).
/// </summary>
public sealed record TensorModelInfo
{
    public string Task { get; init; } = TensorModels.TensorTask;
    public required string[] ChannelNames { get; init; }
    public required double[] Polarisations { get; init; }
    public required double[] Axis { get; init; }
    public string ClassName { get; init; } = "";
    public double ModeShift { get; init; }
    public float SymmetryPenalty { get; init; }
    public string Data { get; init; } = "";
    public TrainingSettings Settings { get; init; } = new();
    public List<EpochRecord> History { get; init; } = [];
    public int BestEpoch { get; init; }
    public double BestValidationRmse { get; init; }
}
