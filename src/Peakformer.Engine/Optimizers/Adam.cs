using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Optimizers;

/// <summary>
/// Adam, and AdamW when <c>decoupled</c>: PyTorch's update, step t:
/// AdamW: p -= lr wd p (decoupled); Adam: g += wd p (L2).
/// m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
/// p -= (lr / (1 - b1^t)) m / (sqrt(v) / sqrt(1 - b2^t) + eps).
/// </summary>
public class Adam : Optimizer
{
    private readonly float[] _m;
    private readonly float[] _v;
    private readonly bool _decoupled;

    public Adam(Layers.ParameterSet parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float eps = 1e-8f, float weightDecay = 0f)
        : this(parameters, learningRate, beta1, beta2, eps, weightDecay, decoupled: false) { }

    protected Adam(Layers.ParameterSet parameters, float learningRate, float beta1, float beta2, float eps, float weightDecay, bool decoupled)
        : base(parameters, learningRate)
    {
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(beta1), $"Adam: betas must be in [0, 1), got ({beta1}, {beta2}).");
        if (weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), $"Adam: weight decay must be non-negative, got {weightDecay}.");
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _decoupled = decoupled;
        _m = new float[parameters.Count];
        _v = new float[parameters.Count];
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Eps { get; }
    public float WeightDecay { get; }

    public override IReadOnlyDictionary<string, float[]> State => new Dictionary<string, float[]> { ["exp_avg"] = _m, ["exp_avg_sq"] = _v };

    public override void Step()
    {
        Steps++;
        var p = Parameters.Values;
        var g = Parameters.Grads;
        float lr = LearningRate;
        float bc1 = 1f - MathF.Pow(Beta1, Steps);
        float bc2Sqrt = MathF.Sqrt(1f - MathF.Pow(Beta2, Steps));
        float stepSize = lr / bc1;
        float decay = _decoupled ? 1f - lr * WeightDecay : 1f;
        float l2 = _decoupled ? 0f : WeightDecay;
        int i = 0;
        // The variant in force decides, not the hardware. No 256-bit body: under Vector256 and Reference the scalar
        // loop below (the reference; the vector loop does the same operations in the same order) does all of it.
        if (Kernels.KernelSettings.Variant == Kernels.KernelVariant.Vector512)
        {
            var b1 = Vector512.Create(Beta1); var nb1 = Vector512.Create(1f - Beta1);
            var b2 = Vector512.Create(Beta2); var nb2 = Vector512.Create(1f - Beta2);
            var vDecay = Vector512.Create(decay); var vL2 = Vector512.Create(l2);
            var vBc2 = Vector512.Create(bc2Sqrt); var vEps = Vector512.Create(Eps); var vStep = Vector512.Create(stepSize);
            for (; i <= p.Length - 16; i += 16)
            {
                var pi = Vector512.Create((ReadOnlySpan<float>)p.Slice(i, 16));
                var gi = Vector512.Create((ReadOnlySpan<float>)g.Slice(i, 16)) + vL2 * pi;
                pi *= vDecay;
                var mi = b1 * Vector512.Create((ReadOnlySpan<float>)_m.AsSpan(i, 16)) + nb1 * gi;
                var vi = b2 * Vector512.Create((ReadOnlySpan<float>)_v.AsSpan(i, 16)) + nb2 * gi * gi;
                pi -= vStep * mi / (Vector512.Sqrt(vi) / vBc2 + vEps);
                mi.CopyTo(_m.AsSpan(i, 16));
                vi.CopyTo(_v.AsSpan(i, 16));
                pi.CopyTo(p.Slice(i, 16));
            }
        }
        for (; i < p.Length; i++)
        {
            float gi = g[i] + l2 * p[i];
            p[i] *= decay;
            _m[i] = Beta1 * _m[i] + (1f - Beta1) * gi;
            _v[i] = Beta2 * _v[i] + (1f - Beta2) * gi * gi;
            p[i] -= stepSize * _m[i] / (MathF.Sqrt(_v[i]) / bc2Sqrt + Eps);
        }
    }
}
