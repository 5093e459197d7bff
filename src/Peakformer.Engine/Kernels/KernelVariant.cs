namespace Peakformer.Engine.Kernels;

/// <summary>Which implementation the kernels use: the plain reference loops or a SIMD width.</summary>
public enum KernelVariant
{
    Reference,
    Vector256,
    Vector512,
}
