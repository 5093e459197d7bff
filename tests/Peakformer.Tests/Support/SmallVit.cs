using Peakformer.Engine.Randomness;
using Peakformer.Vision.Models;

namespace Peakformer.Tests.Support;

/// <summary>
/// A small ViT for the interop tests (PyTorch twin, ONNX): two channels and 4 x 4 patches of 12 x 12 images, so the
/// conv_proj built for C channels and vit1d's channel-major layout both show.
/// </summary>
public static class SmallVit
{
    public static readonly VisionTransformerConfig Config = new()
    {
        ImageSize = 12, Channels = 2, PatchSize = 4, Layers = 2, Heads = 2, Model = 16, FeedForward = 32, Dropout = 0, Classes = 5,
    };

    /// <summary>
    /// The model with every weight moved away from its initial value (zero head and class token, unit layer norms),
    /// so outputs compared with another implementation are not trivially equal; in eval mode.
    /// </summary>
    public static VisionTransformer Perturbed(PatchGeometry geometry)
    {
        var model = new VisionTransformer(Config, new Rng(7), geometry);
        var rng = new Rng(8);
        foreach (var (_, p) in model.NamedParameters())
        {
            var values = p.Value.Data;
            for (int i = 0; i < values.Length; i++) values[i] += (float)(0.2 * rng.NextNormal());
        }
        model.Eval();
        return model;
    }

    public static ImageModelInfo Info() => new()
    {
        ClassNames = Enumerable.Range(0, Config.Classes).Select(k => $"c{k}").ToArray(),
        Channels = Config.Channels, Height = Config.ImageSize, Width = Config.ImageSize,
    };
}
