using Peakformer.Data.Images;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;
using Peakformer.Vision.Data;

namespace Peakformer.Vision.Models;

/// <summary>
/// An image model as one .safetensors file: the weights under torchvision's names (a plain state dict), and in
/// __metadata__ the model kind, its config and an <see cref="ImageModelInfo"/> ("image_model_info"). Loading rebuilds
/// the model from the metadata, loads the weights strictly and checks the info against the config.
/// </summary>
public static class ImageCheckpoint
{
    public const string InfoKey = "image_model_info";

    public static void Save(string path, VisionTransformer model, ImageModelInfo info) =>
        CheckpointInfo.Save(path, model, model.Kind, model.Config, InfoKey, info, info.Task);

    public static (VisionTransformer Model, ImageModelInfo Info) Load(string path)
    {
        var (tensors, metadata) = CheckpointInfo.ReadFile(path);
        var (kind, config, info) = CheckpointInfo.Parse<ImageModelInfo>(path, metadata, InfoKey, "Peakformer image model");
        var registered = ModelKinds.All.Get(kind, path);
        if (registered.ConfigType != typeof(VisionTransformerConfig) || registered.Create(config, new Rng(0), path) is not VisionTransformer model)
            throw new InputException($"{path}: not an image model (its kind {kind} serves the {registered.Task} task)");
        Check(path, model.Config, info, registered.Task);
        Checkpoint.LoadEntries(path, tensors, model);
        model.Eval();
        return (model, info);
    }

    /// <summary>A set the model can read: the checkpoint's channels, height and width.</summary>
    public static void RequireShape(string modelPath, ImageModelInfo info, ImageSet set)
    {
        if (set.Channels != info.Channels || set.Height != info.Height || set.Width != info.Width)
            throw new InputException($"{set.Source}: images of {set.Channels}x{set.Height}x{set.Width} (CxHxW), the model {modelPath} reads {info.Channels}x{info.Height}x{info.Width}");
        if (set.Classes > info.ClassNames.Count)
            throw new InputException($"{set.Source}: {set.Classes} classes, the model {modelPath} knows {info.ClassNames.Count}");
    }

    private static void Check(string path, VisionTransformerConfig config, ImageModelInfo info, string task)
    {
        string where = $"{path}: {InfoKey}";
        if (info.Task != task) throw new InputException($"{where}: task: expected {task}, found {info.Task}");
        if (info.ClassNames is null || info.ClassNames.Count != config.Classes)
            throw new InputException($"{where}: class_names: expected {config.Classes} (the config's classes), found {info.ClassNames?.Count ?? 0}");
        if (info.Channels != config.Channels || info.Height != config.ImageSize || info.Width != config.ImageSize)
            throw new InputException($"{where}: image shape: expected {config.Channels}x{config.ImageSize}x{config.ImageSize} (the config's), found {info.Channels}x{info.Height}x{info.Width}");
        if (info.Mean != ImageTransform.Mean || info.Std != ImageTransform.Std)
            throw new InputException($"{where}: normalisation: expected mean {ImageTransform.Mean} and std {ImageTransform.Std}, found {info.Mean} and {info.Std}");
    }
}
