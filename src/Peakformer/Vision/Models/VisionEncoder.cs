using Peakformer.Engine.Autograd;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Vision.Models;

/// <summary>
/// torchvision's ViT Encoder: x + pos_embedding [1, S + 1, D], dropout, pre-norm blocks layers.encoder_layer_{i}
/// (ln_1, self_attention, ln_2, mlp.0, mlp.3; layer norm eps 1e-6, exact GELU), final ln. Shaped by the token
/// count and the encoder's widths alone, so the image ViT and the spectrum transformer (Spectroscopy/Models) share it.
/// </summary>
internal sealed class VisionEncoder : Module
{
    private readonly Dropout _dropout;
    private readonly List<TransformerEncoderLayer> _layers = [];

    public VisionEncoder(VisionTransformerConfig config, Rng rng)
        : this(config.Patches + 1, config.Model, config.Heads, config.FeedForward, config.Layers, config.Dropout, config.AttentionDropout, rng)
    {
    }

    /// <param name="tokens">Patches plus the class token.</param>
    public VisionEncoder(int tokens, int model, int heads, int feedForward, int layers, float dropout, float attentionDropout, Rng rng)
    {
        const float eps = 1e-6f;
        Positions = AddModule("", new LearnedPositionalEmbedding(tokens, model, rng, "pos_embedding", batchAxis: true));
        _dropout = AddModule("dropout", new Dropout(dropout, rng));
        var block = new TransformerEncoderLayerOptions
        {
            Model = model,
            Heads = heads,
            FeedForward = feedForward,
            AttentionDropout = attentionDropout,
            AttentionOutputDropout = dropout,
            FeedForwardDropout = dropout,
            Activation = ActivationKind.Gelu,
            NormFirst = true,
            LayerNormEps = eps,
            Names = EncoderLayerNames.TorchVision,
        };
        for (int i = 0; i < layers; i++) _layers.Add(AddModule($"layers.encoder_layer_{i}", new TransformerEncoderLayer(block, rng)));
        Norm = AddModule("ln", new LayerNorm(model, eps));
    }

    public LearnedPositionalEmbedding Positions { get; }
    public IReadOnlyList<TransformerEncoderLayer> Layers => _layers;
    public LayerNorm Norm { get; }

    /// <summary>
    /// tokens[B, S + 1, D] → the class token's encoding [B, D] (after the final norm); <paramref name="attention"/>,
    /// if given, receives one [B, H, S + 1, S + 1] per layer. Only the class token leaves the last block, so that
    /// block runs for it alone (<see cref="TransformerEncoderLayer.ForwardFirstToken"/>); asking for the attention
    /// projects every query of it apart and leaves the logits as they are.
    /// </summary>
    public Tensor ForwardClassToken(Tape tape, Tensor tokens, Tensor[]? attention)
    {
        var x = _dropout.Forward(tape, Positions.Forward(tape, tokens));
        int last = _layers.Count - 1;
        for (int i = 0; i < last; i++) x = _layers[i].Forward(tape, x, attentionProbabilities: attention?[i]);
        return Norm.Forward(tape, _layers[last].ForwardFirstToken(tape, x, attention?[last]));
    }
}
