using Peakformer.DriftChamber.Models;

namespace Peakformer.Vision.Models;

/// <summary>
/// A Vision Transformer's shape, as torchvision.models.VisionTransformer(image_size, patch_size, num_layers,
/// num_heads, hidden_dim = model, mlp_dim = feed_forward, dropout, attention_dropout, num_classes) with conv_proj
/// built for <see cref="Channels"/> input channels. Defaults: 28 x 28 greyscale images in 16 patches of 7 x 7
/// (the exercise's ViT), 10 classes; width 128, MLP 256, 4 layers of 4 heads and no dropout: on Fashion-MNIST the
/// width-64 model with dropout 0.1 underfits (training accuracy below validation accuracy), this one does not.
/// </summary>
public sealed record VisionTransformerConfig
{
    public int ImageSize { get; init; } = 28;
    public int Channels { get; init; } = 1;
    public int PatchSize { get; init; } = 7;
    public int Layers { get; init; } = 4;
    public int Heads { get; init; } = 4;
    public int Model { get; init; } = 128;
    public int FeedForward { get; init; } = 256;
    /// <summary>After the position embedding, on each block's attention output and inside and after its MLP.</summary>
    public float Dropout { get; init; }
    /// <summary>On the attention weights.</summary>
    public float AttentionDropout { get; init; }
    public int Classes { get; init; } = 10;

    public const int MaxImageSize = 1024;
    public const int MaxChannels = 64;
    public const int MaxClasses = 10_000;
    /// <summary>Patches plus the class token; attention costs grow with its square.</summary>
    public const int MaxTokens = 4097;

    /// <summary>Patches per image (the tokens before the class token).</summary>
    public int Patches => ImageSize / PatchSize * (ImageSize / PatchSize);

    public void Validate()
    {
        ConfigLimits.Whole("image_size", ImageSize, 1, MaxImageSize);
        ConfigLimits.Whole("channels", Channels, 1, MaxChannels);
        ConfigLimits.Whole("patch_size", PatchSize, 1, ImageSize);
        if (ImageSize % PatchSize != 0) throw new ArgumentException($"image_size: expected a multiple of patch_size ({PatchSize}), found {ImageSize}");
        ConfigLimits.Whole("tokens (patches + 1)", Patches + 1, 2, MaxTokens);
        ConfigLimits.Whole("classes", Classes, 2, MaxClasses);
        long other = (long)Channels * PatchSize * PatchSize * Model + (long)(Patches + 1) * Model + (long)Model * Classes;
        ConfigLimits.Encoder(Model, Heads, Layers, FeedForward, other);
        ConfigLimits.Dropout("dropout", Dropout);
        ConfigLimits.Dropout("attention_dropout", AttentionDropout);
    }
}
