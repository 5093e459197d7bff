using System.Runtime.CompilerServices;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// bfloat16: the upper 16 bits of a float32 (sign, 8 exponent bits, 7 mantissa bits). .NET 10 has no bfloat16 type and
/// no AVX512-BF16 intrinsics (no VDPBF16PS, no VCVTNE2PS2BF16), so conversion is done here with integer operations
/// and the products widen back to float32 (a 16-bit shift) before a float32 fused multiply-add.
/// </summary>
public static class BFloat16
{
    /// <summary>Round to nearest, ties to even, as VCVTNEPS2BF16 and PyTorch's float-to-bfloat16; a NaN stays a
    /// (quiet) NaN with its sign and upper payload, where the rounding carry could turn it into an infinity.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromFloat(float x)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u) return (ushort)((bits >> 16) | 0x40);
        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary>The float32 a bfloat16 stands for (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToFloat(ushort b) => BitConverter.UInt32BitsToSingle((uint)b << 16);

    /// <summary>x rounded to the nearest bfloat16, as a float32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Round(float x) => ToFloat(FromFloat(x));
}
