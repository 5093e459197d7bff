using System.Text.Json;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>
/// A tensor model as one .safetensors file: its weights under their PyTorch names, and in __metadata__ the kind, its
/// config and a <see cref="TensorModelInfo"/> ("tensor_model_info"). Loading rebuilds the model through the registry,
/// loads the weights strictly and checks the info against the config.
/// </summary>
public static class TensorCheckpoint
{
    public const string InfoKey = "tensor_model_info";

    public static void Save(string path, TensorCnn model, TensorModelInfo info) =>
        CheckpointInfo.Save(path, model, TensorCnn.KindName, model.Config, InfoKey, info, info.Task);

    public static (TensorCnn Model, TensorModelInfo Info) Load(string path)
    {
        var (tensors, metadata) = CheckpointInfo.ReadFile(path);
        var (name, config, info) = CheckpointInfo.Parse<TensorModelInfo>(path, metadata, InfoKey, "Peakformer Raman tensor model");
        var kind = ModelKinds.All.Get(name, path);
        if (kind.Task != TensorModels.TensorTask)
            throw new InputException($"{path}: not a Raman tensor model (its kind {name} serves the {kind.Task} task)");
        var model = (TensorCnn)kind.Create(config, new Rng(0), path);
        string where = $"{path}: {InfoKey}";
        if (info.Axis is null || info.Axis.Length != model.Config.Length)
            throw new InputException($"{where}: axis: expected {model.Config.Length} points (the config's length), found {info.Axis?.Length ?? 0}");
        if (info.ChannelNames is null || info.ChannelNames.Length != model.Config.InChannels || info.Polarisations?.Length != 6 * model.Config.InChannels)
            throw new InputException($"{where}: channel_names and polarisations: expected {model.Config.InChannels} channels (the config's in_channels), found {info.ChannelNames?.Length ?? 0}");
        Checkpoint.LoadEntries(path, tensors, model);
        model.Eval();
        return (model, info);
    }

    /// <summary>Whether a file is a checkpoint of a tensor kind (by its metadata's kind).</summary>
    public static bool IsTensorModel(string path) =>
        File.Exists(path) && path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)
        && ModelKinds.All.Find(Checkpoint.ReadHeader(path).Kind)?.Task == TensorModels.TensorTask;
}
