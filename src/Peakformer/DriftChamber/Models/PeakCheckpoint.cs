using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// A peak model as one .safetensors file: the weights under PyTorch's names (a plain state dict), and in
/// __metadata__ the model kind, its config and a <see cref="PeakModelInfo"/> ("peak_model_info"). Loading
/// rebuilds the model from the metadata and loads the weights strictly.
/// </summary>
public static class PeakCheckpoint
{
    public const string InfoKey = "peak_model_info";

    public static void Save(string path, IPeakModel model, PeakModelInfo info) =>
        CheckpointInfo.Save(path, model.Module, model.Kind, model.Config, InfoKey, info, info.Task);

    public static (IPeakModel Model, PeakModelInfo Info) Load(string path)
    {
        var (kind, config, info) = CheckpointInfo.Read<PeakModelInfo>(path, InfoKey, "Peakformer peak model");
        Check(path, info);
        var model = ModelCatalog.Create(kind, config, new Rng(0), path);
        Checkpoint.Load(path, model.Module);
        model.Module.Eval();
        return (model, info);
    }

    /// <summary>The numbers of the info record that inference uses, in range (a threshold of -1 or NaN would mark everything a peak).</summary>
    private static void Check(string path, PeakModelInfo info)
    {
        string where = $"{path}: {InfoKey}";
        try
        {
            Finite.OpenUnit("threshold", info.Threshold);
            Finite.Positive("sampling_ns", info.SamplingNs, 1e3);
            Finite.Count("label_width", info.LabelWidth, 0, Windows.WindowOptions.MaxToleranceSamples);
            info.Windows.Validate();
        }
        catch (InputException e)
        {
            throw new InputException($"{where}: {e.Message}");
        }
    }
}
