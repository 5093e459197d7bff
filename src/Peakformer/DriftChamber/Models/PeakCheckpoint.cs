using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;

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
        var (tensors, metadata) = CheckpointInfo.ReadFile(path);
        return Load(path, tensors, metadata);
    }

    /// <summary>A peak model from a checkpoint's contents (a file's, or those carried in a count checkpoint); <paramref name="source"/> names it in errors.</summary>
    public static (IPeakModel Model, PeakModelInfo Info) Load(string source, IReadOnlyList<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var (kind, config, info) = CheckpointInfo.Parse<PeakModelInfo>(source, metadata, InfoKey, "Peakformer peak model");
        Check(source, info);
        var model = DriftChamberModels.Create(kind, config, new Rng(0), source);
        Checkpoint.LoadEntries(source, tensors, model.Module);
        model.Module.Eval();
        return (model, info);
    }

    /// <summary>The tensors and metadata of a peak-model checkpoint, as <see cref="NestedCheckpoint"/> carries them inside another file.</summary>
    public static (IEnumerable<SafeTensorsEntry> Tensors, IReadOnlyDictionary<string, string> Metadata) Contents(IPeakModel model, PeakModelInfo info)
    {
        var metadata = CheckpointInfo.Metadata(InfoKey, info, info.Task);
        metadata[Checkpoint.KindKey] = model.Kind;
        metadata[Checkpoint.ConfigKey] = ModelJson.Serialize(model.Config);
        return (Checkpoint.Entries(model.Module), metadata);
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
