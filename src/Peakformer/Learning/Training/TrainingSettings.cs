using System.Text.Json.Serialization;
using Peakformer.Engine.Kernels;

namespace Peakformer.Learning.Training;

/// <summary>
/// How a model is trained. Defaults are the reference study's binary classifier ("Transformer Hyperparameter
/// Configuration"): AdamW lr 3e-5, weight decay 5e-4, batch 256, up to 80 epochs, early stopping with
/// patience 12 on validation AUC, a checkpoint kept only when validation AUC >= 0.95, decision threshold 0.5,
/// 60/40 train/validation split with seed 42.
/// </summary>
public sealed record TrainingSettings
{
    public int Epochs { get; init; } = 80;
    public int Batch { get; init; } = 256;
    public float LearningRate { get; init; } = 3e-5f;
    public float WeightDecay { get; init; } = 5e-4f;
    /// <summary>"adamw" or "adam".</summary>
    public string Optimizer { get; init; } = "adamw";
    /// <summary>"none", "cosine" (to lr/100 over the epochs) or "plateau" (halve on a flat validation metric).</summary>
    public string Schedule { get; init; } = "none";
    /// <summary>Epochs of linear warm-up (lr (t + 1) / (warm-up + 1)) before the schedule; 0 for none.</summary>
    public int WarmupEpochs { get; init; }
    public int Patience { get; init; } = 12;
    public double MinAuc { get; init; } = 0.95;
    public double Threshold { get; init; } = 0.5;
    public double ValidationFraction { get; init; } = 0.4;
    public ulong Seed { get; init; } = 42;
    /// <summary>Global gradient-norm clip, 0 for none.</summary>
    public float ClipNorm { get; init; }
    /// <summary>Floor of the cosine and plateau schedules (default lr / 100).</summary>
    public float? MinLearningRate { get; init; }
    /// <summary>BCE weight of positive examples (pos_weight, for targets that are mostly negative); 1 for plain BCE.</summary>
    public float PositiveWeight { get; init; } = 1;
    /// <summary>"bf16": the matrix products of training (forward, backward and validation) take bfloat16 operands with
    /// float32 sums; weights, gradients and optimiser state stay float32. Null is float32, and is left out of the JSON so
    /// float32 runs record what they always did.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Precision { get; init; }

    /// <summary>The engine's precision for <see cref="Precision"/>.</summary>
    [JsonIgnore]
    public MatrixPrecision MatrixPrecision => Precision == "bf16" ? MatrixPrecision.Bf16 : MatrixPrecision.Fp32;

    public const int MaxEpochs = 100_000;
    public const int MaxBatch = 65_536;
    /// <summary>Far above any useful rate; larger ones blow up in the first step (and are caught there as a NaN loss).</summary>
    public const float MaxLearningRate = 100;
    public const float MaxWeightDecay = 100;

    public void Validate()
    {
        // Every number finite and in a range that can train: NaN passes a one-sided check (NaN < 0 is false) and then
        // poisons every weight.
        Finite.Count("--epochs", Epochs, 1, MaxEpochs);
        Finite.Count("--batch", Batch, 1, MaxBatch);
        Finite.Positive("--lr", LearningRate, MaxLearningRate);
        Finite.InRange("--weight-decay", WeightDecay, 0, MaxWeightDecay);
        if (MinLearningRate is { } min) Finite.Positive("--min-lr", min, MaxLearningRate);
        Finite.InRange("--clip-norm", ClipNorm, 0, 1e6);
        if (Optimizer is not ("adamw" or "adam")) throw new InputException($"--optimizer: expected adamw or adam, found '{Optimizer}'");
        if (Schedule is not ("none" or "cosine" or "plateau")) throw new InputException($"--schedule: expected none, cosine or plateau, found '{Schedule}'");
        Finite.Count("--patience", Patience, 1, MaxEpochs);
        // Cosine annealing needs at least one epoch after warm-up.
        Finite.Count("--warmup-epochs", WarmupEpochs, 0, Epochs - 1);
        Finite.InRange("--min-auc", MinAuc, 0, 1);
        Finite.OpenUnit("--threshold", Threshold);
        Finite.OpenUnit("--validation", ValidationFraction);
        Finite.Positive("--pos-weight", PositiveWeight, 1e6);
        if (Precision is not (null or "bf16")) throw new InputException($"--precision: expected fp32 or bf16, found '{Precision}'");
    }
}
