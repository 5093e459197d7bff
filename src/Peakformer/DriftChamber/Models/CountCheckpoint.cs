using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Models;

namespace Peakformer.DriftChamber.Models;

/// <summary>
/// A cluster-count model as one .safetensors file, with its <see cref="CountModelInfo"/> ("count_model_info"). A
/// count model that reads a peak model's peaks carries that peak model: its tensors under "peak_model." and its
/// metadata under "peak_model.*" keys (see <see cref="NestedCheckpoint"/>), with the hash of the file it came from
/// ("peak_model.sha256"). PyTorch loads the count model's own state dict after dropping the "peak_model." tensors.
/// </summary>
public static class CountCheckpoint
{
    public const string InfoKey = "count_model_info";
    public const string PeakModelPrefix = "peak_model";
    private const string HashKey = "sha256";

    public static void Save(string path, ICountModel model, CountModelInfo info, CarriedPeakModel? peakModel = null)
    {
        IEnumerable<KeyValuePair<string, string>>? metadata = null;
        IEnumerable<SafeTensorsEntry>? tensors = null;
        if (peakModel is not null)
        {
            var (peakTensors, peakMetadata) = PeakCheckpoint.Contents(peakModel.Model, peakModel.Info);
            var carried = new Dictionary<string, string>(peakMetadata) { [HashKey] = peakModel.Sha256 };
            metadata = NestedCheckpoint.Metadata(PeakModelPrefix, carried);
            tensors = NestedCheckpoint.Tensors(PeakModelPrefix, peakTensors);
        }
        CheckpointInfo.Save(path, model.Module, model.Kind, model.Config, InfoKey, info, DriftChamberModels.CountTask, metadata, tensors);
    }

    /// <summary>The count model, its info, and the peak model it carries (null for waveform models and for checkpoints that only name the file).</summary>
    public static (ICountModel Model, CountModelInfo Info, CarriedPeakModel? PeakModel) Load(string path)
    {
        var (tensors, metadata) = CheckpointInfo.ReadFile(path);
        var (kind, config, info) = CheckpointInfo.Parse<CountModelInfo>(path, metadata, InfoKey, "Peakformer cluster-count model");
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
        var (own, nested) = NestedCheckpoint.Split(PeakModelPrefix, tensors, metadata);
        var model = DriftChamberModels.CreateCounter(kind, config, new Rng(0), path);
        Checkpoint.LoadEntries(path, own, model.Module);
        model.Module.Eval();
        CarriedPeakModel? peakModel = null;
        if (nested is var (peakTensors, peakMetadata))
        {
            string source = $"{path} ({PeakModelPrefix})";
            if (!peakMetadata.TryGetValue(HashKey, out var hash)) throw new InputException($"{source}: no {PeakModelPrefix}.{HashKey} in __metadata__");
            if (!CheckpointHash.IsSha256(hash))
                throw InputException.At(path, null, $"__metadata__.{PeakModelPrefix}.{HashKey}", "64 hexadecimal digits (the SHA-256 of the peak model's file)", $"'{hash}'");
            var (peak, peakInfo) = PeakCheckpoint.Load(source, peakTensors, peakMetadata);
            peakModel = new CarriedPeakModel(peak, peakInfo, hash);
        }
        return (model, info, peakModel);
    }
}
