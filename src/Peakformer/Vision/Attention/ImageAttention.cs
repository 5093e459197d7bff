using System.Text.Json.Serialization;
using Peakformer.Vision.Models;

namespace Peakformer.Vision.Attention;

/// <summary>
/// One image through a Vision Transformer: its true and predicted class, the predicted class's probability, and the
/// class token's attention over the patches per layer and head, and rolled out over the layers.
/// </summary>
public sealed record ImageAttention
{
    public required int Index { get; init; }
    public required int Label { get; init; }
    public required int Predicted { get; init; }
    public required double Probability { get; init; }
    public required int Layers { get; init; }
    public required int Heads { get; init; }
    public required int Patches { get; init; }
    /// <summary>[layers, heads, patches]: row 0 of each head's attention, columns 1..S.</summary>
    [JsonIgnore] public float[] HeadMaps { get; init; } = [];
    /// <summary>[patches]: the class token's row of the attention rollout.</summary>
    [JsonIgnore] public float[] Rollout { get; init; } = [];
    [JsonIgnore] public PatchGeometry Geometry { get; init; }
    [JsonIgnore] public int ImageSize { get; init; }
    [JsonIgnore] public int PatchSize { get; init; }

    public ReadOnlySpan<float> Head(int layer, int head) => HeadMaps.AsSpan((layer * Heads + head) * Patches, Patches);

    /// <summary>A patch map spread over the image's pixels [size * size] (<see cref="PatchPixels"/>).</summary>
    public float[] OnPixels(ReadOnlySpan<float> patches) => PatchPixels.Upsample(Geometry, ImageSize, PatchSize, patches);
}
