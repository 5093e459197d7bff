using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Layers;

/// <summary>nn.Dropout: active only in training mode; its own seeded generator keeps runs reproducible.</summary>
public sealed class Dropout(float probability, Rng rng) : Module, ILayer
{
    public float Probability { get; } = probability is >= 0 and < 1 ? probability
        : throw new ArgumentOutOfRangeException(nameof(probability), $"Dropout: probability must be in [0, 1), got {probability}.");

    public Tensor Forward(Tape tape, Tensor x) => Ops.Dropout(tape, x, Probability, Training, rng);

    /// <summary>Inference: the identity.</summary>
    public string ExportOnnx(Onnx.OnnxGraph graph, string x) => x;

    /// <summary>The generator, for fused operations that apply this dropout inside another op.</summary>
    internal Rng Generator => rng;

    protected override IEnumerable<Rng> OwnGenerators() => [rng];
}
