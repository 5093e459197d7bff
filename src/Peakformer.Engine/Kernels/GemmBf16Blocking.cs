namespace Peakformer.Engine.Kernels;

/// <summary>The blocking the bfloat16 product and its reference share: it fixes the order of the float32 sums.</summary>
internal static class GemmBf16Blocking
{
    /// <summary>Depth of one slice: a B panel slice (KC x 2 W bfloat16) stays in L1 while the A panels sweep past.</summary>
    public const int KC = 256;

    /// <summary>Rows of the micro-tile: 8 x 2 accumulators (16 of the 32 AVX-512 registers).</summary>
    public const int MR = 8;
}
