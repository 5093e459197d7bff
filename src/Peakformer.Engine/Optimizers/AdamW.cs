using Peakformer.Engine.Layers;

namespace Peakformer.Engine.Optimizers;

/// <summary>AdamW (Loshchilov and Hutter): Adam with decoupled weight decay, PyTorch's defaults (weight decay 0.01).</summary>
public sealed class AdamW(ParameterSet parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
    float eps = 1e-8f, float weightDecay = 0.01f)
    : Adam(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: true);
