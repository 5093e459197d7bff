namespace Peakformer.Engine.Layers;

/// <summary>
/// The names of an encoder block's sub-layers in its PyTorch source: nn.TransformerEncoderLayer's by default,
/// torchvision's ViT EncoderBlock (<see cref="TorchVision"/>) for checkpoints that load into torchvision.
/// </summary>
public sealed record EncoderLayerNames(string SelfAttention, string Linear1, string Linear2, string Norm1, string Norm2)
{
    public static EncoderLayerNames PyTorch { get; } = new("self_attn", "linear1", "linear2", "norm1", "norm2");
    /// <summary>torchvision.models.vision_transformer.EncoderBlock: mlp is nn.Sequential(Linear, GELU, Dropout, Linear, Dropout).</summary>
    public static EncoderLayerNames TorchVision { get; } = new("self_attention", "mlp.0", "mlp.3", "ln_1", "ln_2");
}
