using System.Text.Json;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Files;
using Peakformer.Engine.Optimizers;
using Peakformer.Engine.Tensors;

namespace Peakformer.Training;

/// <summary>
/// Everything needed to resume training beside a checkpoint ("model.safetensors.state"): the latest weights,
/// optimiser moments and step count, epochs done, history and early-stopping counters. Kept separate so the
/// checkpoint itself stays a plain PyTorch state dict.
/// </summary>
public sealed record TrainState(int Epoch, int OptimizerSteps, float LearningRate, int BestEpoch, double BestMetric, int EpochsWithoutImprovement,
    bool Saved, List<EpochRecord> History)
{
    public static string PathFor(string checkpoint) => checkpoint + ".state";

    public void Save(string checkpoint, Engine.Layers.Module model, Optimizer optimizer)
    {
        var tensors = model.NamedParameters().Select(p => new SafeTensorsEntry("model." + p.Name, p.Parameter.Shape, p.Parameter.Value.ToArray()))
            .Concat(optimizer.State.Select(s => new SafeTensorsEntry("optimizer." + s.Key, new Shape(s.Value.Length), s.Value)));
        SafeTensorsFile.Write(PathFor(checkpoint), tensors, new Dictionary<string, string> { ["train_state"] = JsonSerializer.Serialize(this) });
    }

    public static TrainState Load(string checkpoint, Engine.Layers.Module model, Optimizer optimizer)
    {
        string path = PathFor(checkpoint);
        if (!File.Exists(path)) throw new InputException($"--resume: no training state {path} beside the checkpoint (it is written after every epoch)");
        var (tensors, metadata) = SafeTensorsFile.Read(path);
        if (!metadata.TryGetValue("train_state", out var json))
            throw new InputException($"{path}: not a Peakformer training state (no train_state metadata)");
        var state = JsonSerializer.Deserialize<TrainState>(json) ?? throw new InputException($"{path}: empty training state");
        Checkpoint.LoadEntries(path, tensors.Where(t => t.Name.StartsWith("model.", StringComparison.Ordinal)).Select(t => t with { Name = t.Name[6..] }).ToList(), model);
        var moments = tensors.Where(t => t.Name.StartsWith("optimizer.", StringComparison.Ordinal)).ToDictionary(t => t.Name[10..], t => t.Values);
        try
        {
            optimizer.LoadState(moments, state.OptimizerSteps);
        }
        catch (ArgumentException e)
        {
            throw new InputException($"{path}: optimiser state does not fit this model ({e.Message})");
        }
        optimizer.LearningRate = state.LearningRate;
        return state;
    }
}
