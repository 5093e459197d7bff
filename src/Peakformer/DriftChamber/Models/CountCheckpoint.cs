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
        try
        {
            Finite.Positive("sampling_ns", info.SamplingNs, 1e3);
            Finite.InRange("min_amplitude_sigma", info.MinAmplitudeSigma, 0, 1e6);
            Finite.InRange("training_mean", info.TrainingMean, -1e6, 1e6);
        }
        catch (InputException e)
        {
            throw new InputException($"{path}: {InfoKey}: {e.Message}");
        }
        var model = ModelCatalog.CreateCounter(kind, config, new Rng(0), path);
        Checkpoint.Load(path, model.Module);
        model.Module.Eval();
        return (model, info);
    }
}
