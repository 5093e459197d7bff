namespace Peakformer.Training;

/// <summary>
/// How a binary peak model is trained. Defaults are the reference window transformer's ("Transformer
/// Hyperparameter Configuration"): AdamW lr 3e-5, weight decay 5e-4, batch 256, up to 80 epochs, early stopping with
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
    /// <summary>"none", "cosine" (to lr/100 over the epochs) or "plateau" (halve on a flat validation AUC).</summary>
    public string Schedule { get; init; } = "none";
    public int Patience { get; init; } = 12;
    public double MinAuc { get; init; } = 0.95;
    public double Threshold { get; init; } = 0.5;
    public double ValidationFraction { get; init; } = 0.4;
    public ulong Seed { get; init; } = 42;
    /// <summary>Global gradient-norm clip, 0 for none.</summary>
    public float ClipNorm { get; init; }
    /// <summary>Floor of the cosine and plateau schedules (default lr / 100).</summary>
    public float? MinLearningRate { get; init; }
    /// <summary>BCE weight of positive examples (per-bin targets are mostly background); 1 for plain BCE.</summary>
    public float PositiveWeight { get; init; } = 1;

    /// <summary>
    /// The reference study's cluster-count regressor: Adam lr 1e-3, no weight decay, batch 128, up to 100 epochs,
    /// early stopping with patience 20 on validation MAE, ReduceLROnPlateau down to 1e-6. The one-step counter reads
    /// whole waveforms: batch 8, up to 20 epochs.
    /// </summary>
    public static TrainingSettings ForCounting(bool oneStep) => new()
    {
        Epochs = oneStep ? 20 : 100,
        Batch = oneStep ? 8 : 128,
        LearningRate = 1e-3f,
        Optimizer = "adam",
        WeightDecay = 0,
        Schedule = "plateau",
        MinLearningRate = 1e-6f,
        Patience = 20,
    };

    public void Validate()
    {
        if (Epochs < 1) throw new InputException($"--epochs: expected a positive number, found {Epochs}");
        if (Batch < 1) throw new InputException($"--batch: expected a positive number, found {Batch}");
        if (!(LearningRate > 0)) throw new InputException($"--lr: expected a positive number, found {LearningRate}");
        if (WeightDecay < 0) throw new InputException($"--weight-decay: expected zero or more, found {WeightDecay}");
        if (Optimizer is not ("adamw" or "adam")) throw new InputException($"--optimizer: expected adamw or adam, found '{Optimizer}'");
        if (Schedule is not ("none" or "cosine" or "plateau")) throw new InputException($"--schedule: expected none, cosine or plateau, found '{Schedule}'");
        if (Patience < 1) throw new InputException($"--patience: expected a positive number, found {Patience}");
        if (MinAuc is < 0 or > 1) throw new InputException($"--min-auc: expected a value in [0, 1], found {MinAuc}");
        if (Threshold is <= 0 or >= 1) throw new InputException($"--threshold: expected a value in (0, 1), found {Threshold}");
        if (ValidationFraction is <= 0 or >= 1) throw new InputException($"--validation: expected a fraction in (0, 1), found {ValidationFraction}");
        if (!(PositiveWeight > 0)) throw new InputException($"--pos-weight: expected a positive number, found {PositiveWeight}");
    }
}
