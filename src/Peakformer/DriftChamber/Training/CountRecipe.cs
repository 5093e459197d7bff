using Peakformer.Learning.Training;

namespace Peakformer.DriftChamber.Training;

/// <summary>
/// The count models' training recipe, kept in the drift-chamber room. An extension member so that callers keep
/// writing <c>TrainingSettings.ForCounting(...)</c> while the settings record itself stays domain-free.
/// </summary>
public static class CountRecipe
{
    extension(TrainingSettings)
    {
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
    }
}
