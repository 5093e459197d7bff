using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;

namespace Peakformer.DriftChamber.Models;

/// <summary>A cluster-count model as one .safetensors file, with its <see cref="CountModelInfo"/> ("count_model_info").</summary>
public static class CountCheckpoint
{
    public const string InfoKey = "count_model_info";

    public static void Save(string path, ICountModel model, CountModelInfo info) =>
        CheckpointInfo.Save(path, model.Module, model.Kind, model.Config, InfoKey, info, "count");

    public static (ICountModel Model, CountModelInfo Info) Load(string path)
    {
        var (kind, config, info) = CheckpointInfo.Read<CountModelInfo>(path, InfoKey, "Peakformer cluster-count model");
        var model = ModelCatalog.CreateCounter(kind, config, new Rng(0), path);
        Checkpoint.Load(path, model.Module);
        model.Module.Eval();
        return (model, info);
    }
}
