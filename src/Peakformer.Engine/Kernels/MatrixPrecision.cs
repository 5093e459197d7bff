namespace Peakformer.Engine.Kernels;

/// <summary>
/// The precision of matrix products' operands. <see cref="Bf16"/> rounds both operands to bfloat16 when they are packed
/// (round to nearest even, NaN kept) and accumulates in float32; the tensors themselves (weights, activations,
/// gradients, optimiser state) stay float32, so the weights are float32 master weights.
/// </summary>
public enum MatrixPrecision
{
    Fp32,
    Bf16,
}
