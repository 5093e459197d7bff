using Peakformer.Learning.Models;
using Peakformer.Learning.Training;

namespace Peakformer.Spectroscopy.Tensors;

/// <summary>The tensor task's kinds, registered in <see cref="ModelKinds.All"/> under the task "tensor" (--task tensor).</summary>
public static class TensorModels
{
    public const string TensorTask = "tensor";

    /// <summary>
    /// The spectrum CNN's recipe for a regression: AdamW lr 2e-3, weight decay 0.01, cosine to lr/100 after 2 warm-up
    /// epochs, batch 32, 40 epochs, early stopping on validation RMSE with patience 40 (the schedule decides the end).
    /// </summary>
    public static TrainingSettings CnnRecipe => new()
    {
        Epochs = 40, Batch = 32, LearningRate = 2e-3f, WeightDecay = 0.01f, Optimizer = "adamw",
        Schedule = "cosine", WarmupEpochs = 2, Patience = 40, ValidationFraction = 0.2,
    };

    public static readonly ModelKind Cnn = new()
    {
        Name = TensorCnn.KindName, DisplayName = "Raman tensor CNN", Task = TensorTask, Model = "cnn", Input = "polarised spectra of one molecule",
        ConfigType = typeof(TensorCnnConfig),
        Build = ModelKind.Builder<TensorCnnConfig>((c, rng) => new TensorCnn(c, rng)),
        Recipe = CnnRecipe,
    };

    public static void Register(ModelRegistry registry) => registry.Register(Cnn);
}
