using Peakformer.Learning.Models;
using Peakformer.Learning.Training;

namespace Peakformer.Vision.Models;

/// <summary>
/// The image model kinds, registered in <see cref="ModelKinds.All"/>: the Vision Transformer with square patches
/// ("vit") and the same model on 1D patches of the raster-order image ("vit1d"), so the two differ only in the patch
/// geometry.
/// </summary>
public static class VisionModels
{
    /// <summary>The task (the command line's --task).</summary>
    public const string ImageTask = "image";
    /// <summary>What the models read.</summary>
    public const string Image = "the image";

    /// <summary>
    /// The recipe's label smoothing, for <see cref="Learning.Objectives.MultiClassObjective"/>: TrainingSettings has
    /// no objective settings, so the image training run passes it to the objective itself.
    /// </summary>
    public const float LabelSmoothing = 0.1f;

    // AdamW with decoupled weight decay 0.05, cosine to lr/100 after a linear warm-up: the usual ViT recipe,
    // scaled to small images (a batch of 128 and 30 epochs: 0.91 on Fashion-MNIST in about 11 minutes on 2 cores). Patience is the epoch count: the cosine schedule
    // decides the end, not early stopping.
    private static TrainingSettings Recipe => new()
    {
        Epochs = 30, Batch = 128, LearningRate = 1e-3f, WeightDecay = 0.05f, Optimizer = "adamw",
        Schedule = "cosine", WarmupEpochs = 2, Patience = 30, ValidationFraction = 0.1,
    };

    public static readonly ModelKind Vit = new()
    {
        Name = "vit", DisplayName = "Vision Transformer", Task = ImageTask, Model = "vit", Input = Image,
        ConfigType = typeof(VisionTransformerConfig),
        Build = ModelKind.Builder<VisionTransformerConfig>((c, rng) => new VisionTransformer(c, rng, PatchGeometry.Square)),
        Recipe = Recipe,
        ExportOnnx = ImageOnnxExport.Export,
    };

    public static readonly ModelKind Vit1d = new()
    {
        Name = "vit1d", DisplayName = "Vision Transformer on 1D patches", Task = ImageTask, Model = "vit1d", Input = Image,
        ConfigType = typeof(VisionTransformerConfig),
        Build = ModelKind.Builder<VisionTransformerConfig>((c, rng) => new VisionTransformer(c, rng, PatchGeometry.Raster)),
        Recipe = Recipe,
        ExportOnnx = ImageOnnxExport.Export,
    };

    public static void Register(ModelRegistry registry)
    {
        registry.Register(Vit);
        registry.Register(Vit1d);
    }
}
