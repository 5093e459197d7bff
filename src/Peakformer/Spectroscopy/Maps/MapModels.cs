using Peakformer.Learning.Models;
using Peakformer.Learning.Training;
using Peakformer.Vision.Models;

namespace Peakformer.Spectroscopy.Maps;

/// <summary>
/// The map task's kinds, registered in <see cref="ModelKinds.All"/>: the image Vision Transformer (§5) reading a TERS
/// map's C band channels, trained and evaluated by the image machinery (ImageTraining, ImageEvaluation, attention).
/// A kind of its own so a checkpoint says it reads maps and carries the map recipe.
/// </summary>
public static class MapModels
{
    /// <summary>The task (the command line's --task).</summary>
    public const string MapTask = "map";

    // The image recipe (AdamW, decay 0.05, cosine after a 2-epoch warm-up) for a few thousand maps: smaller batches,
    // more epochs, so a 2,000-map set still takes a few hundred steps.
    private static TrainingSettings Recipe => new()
    {
        Epochs = 40, Batch = 64, LearningRate = 1e-3f, WeightDecay = 0.05f, Optimizer = "adamw",
        Schedule = "cosine", WarmupEpochs = 2, Patience = 40, ValidationFraction = 0.1,
    };

    public static readonly ModelKind Vit = VisionModels.Vit with
    {
        Name = "map-vit", DisplayName = "Vision Transformer on TERS maps", Task = MapTask, Model = "vit", Input = "the map's band channels",
        Build = ModelKind.Builder<VisionTransformerConfig>((c, rng) => new VisionTransformer(c, rng, PatchGeometry.Square, "map-vit")),
        Recipe = Recipe,
    };

    public static void Register(ModelRegistry registry) => registry.Register(Vit);
}
