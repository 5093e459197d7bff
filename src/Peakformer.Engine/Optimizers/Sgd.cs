using Peakformer.Engine.Layers;

namespace Peakformer.Engine.Optimizers;

/// <summary>
/// SGD with momentum as PyTorch: g += wd p; buf = g on the first step, then buf = mu buf + (1 - dampening) g;
/// with Nesterov g = g + mu buf, else g = buf; p -= lr g.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[] _buffer;

    public Sgd(ParameterSet parameters, float learningRate, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(parameters, learningRate)
    {
        if (momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), $"Sgd: momentum must be non-negative, got {momentum}.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException("Sgd: Nesterov momentum requires a positive momentum and zero dampening.");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        _buffer = new float[parameters.Count];
    }

    public float Momentum { get; }
    public float Dampening { get; }
    public float WeightDecay { get; }
    public bool Nesterov { get; }

    public override IReadOnlyDictionary<string, float[]> State => new Dictionary<string, float[]> { ["momentum_buffer"] = _buffer };

    public override void Step()
    {
        var p = Parameters.Values;
        var g = Parameters.Grads;
        bool first = Steps == 0;
        Steps++;
        for (int i = 0; i < p.Length; i++)
        {
            float gi = g[i] + WeightDecay * p[i];
            if (Momentum != 0)
            {
                _buffer[i] = first ? gi : Momentum * _buffer[i] + (1f - Dampening) * gi;
                gi = Nesterov ? gi + Momentum * _buffer[i] : _buffer[i];
            }
            p[i] -= LearningRate * gi;
        }
    }
}
