using System.Text.Json;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Training;

namespace Peakformer.Learning.Models;

/// <summary>
/// One kind of model, registered once by the room that owns it: the name its checkpoints store, the name people read,
/// the task it serves and its --model name there, what it reads, its config record, how it is built, and how it is
/// trained when the user says nothing. Tasks and inputs are the room's own words; the registry only compares them.
/// </summary>
public sealed record ModelKind
{
    /// <summary>Stored in checkpoints (__metadata__ "peakformer_model"), e.g. "image-transformer".</summary>
    public required string Name { get; init; }
    /// <summary>For people, in reports and messages, e.g. "image transformer".</summary>
    public required string DisplayName { get; init; }
    /// <summary>The task it serves, the command line's --task (e.g. "classify", "regress").</summary>
    public required string Task { get; init; }
    /// <summary>Its name within the task, the command line's --model (e.g. "transformer", "lstm").</summary>
    public required string Model { get; init; }
    /// <summary>What it reads, in the room's words (e.g. "image patches", "the spectrum"); rooms compare it, people read it.</summary>
    public required string Input { get; init; }
    /// <summary>The config record, read from JSON with <see cref="ModelJson.Options"/>; a missing config is the record's defaults.</summary>
    public required Type ConfigType { get; init; }
    /// <summary>Builds the model from a config of <see cref="ConfigType"/>; bad values are ArgumentExceptions naming the field.</summary>
    public required Func<object, Rng, ITrainable> Build { get; init; }
    /// <summary>The default training recipe (epochs, batch, learning rate, optimizer, schedule, patience).</summary>
    public required TrainingSettings Recipe { get; init; }

    /// <summary>Reads a checkpoint of this kind and writes it as an ONNX model (the file's bytes); null: no ONNX mapping yet.</summary>
    public Func<string, byte[]>? ExportOnnx { get; init; }

    /// <summary>Why the kind has no ONNX graph and will not get one (said by <c>export</c>); null when it has one or simply none yet.</summary>
    public string? NoOnnxReason { get; init; }

    /// <summary>A typed builder for <see cref="Build"/>.</summary>
    public static Func<object, Rng, ITrainable> Builder<TConfig>(Func<TConfig, Rng, ITrainable> build) => (config, rng) => build((TConfig)config, rng);

    /// <summary>The model for a JSON config (null or blank: the defaults); a bad config is an InputException prefixed by <paramref name="where"/>.</summary>
    public ITrainable Create(string? configJson, Rng rng, string where = "config")
    {
        try
        {
            object? config = string.IsNullOrWhiteSpace(configJson) ? null : JsonSerializer.Deserialize(configJson, ConfigType, ModelJson.Options);
            return Build(config ?? Activator.CreateInstance(ConfigType)!, rng);
        }
        catch (JsonException e)
        {
            throw new InputException($"{where}: model config is invalid at {e.Path}: {e.Message.Split('.')[0]}");
        }
        catch (ArgumentException e) when (e is not ArgumentOutOfRangeException)
        {
            throw new InputException($"{where}: model config: {e.Message}");
        }
    }
}
