namespace Peakformer.Engine.Kernels;

/// <summary>Which implementation the kernels use: the plain reference loops or a SIMD width.</summary>
public enum KernelVariant
{
    Reference,
    Vector128,
    Vector256,
    Vector512,
}
