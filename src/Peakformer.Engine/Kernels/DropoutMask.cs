using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Counter-based dropout masks: element n keeps its value when the 32-bit hash of (seed, n) (MurmurHash3's
/// finaliser) is at or above p * 2^32. Any element can be regenerated from its index, so attention can
/// rebuild its L x L mask in backward instead of storing it, and the vector forms give exactly the
/// scalar reference's bits.
/// </summary>
internal readonly struct DropoutMask
{
    private readonly uint _seedLo, _seedHi, _threshold;

    public DropoutMask(ulong seed, float probability)
    {
        _seedLo = (uint)seed;
        _seedHi = (uint)(seed >> 32);
        _threshold = (uint)Math.Min(uint.MaxValue, probability * 4294967296.0);
        Probability = probability;
        KeepScale = 1f / (1f - probability);
    }

    public float Probability { get; }
    public float KeepScale { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Hash(uint index)
    {
        uint x = index * 0x9E3779B1u + _seedLo;
        x ^= _seedHi;
        x ^= x >> 16;
        x *= 0x85EBCA6Bu;
        x ^= x >> 13;
        x *= 0xC2B2AE35u;
        x ^= x >> 16;
        return x;
    }

    /// <summary>0 or 1/(1-p) for element index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Factor(uint index) => Hash(index) >= _threshold ? KeepScale : 0f;

    /// <summary>Factor(index) for sixteen indices at once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Factors(Vector512<uint> index)
    {
        var x = index * Vector512.Create(0x9E3779B1u) + Vector512.Create(_seedLo);
        x ^= Vector512.Create(_seedHi);
        x ^= Vector512.ShiftRightLogical(x, 16);
        x *= Vector512.Create(0x85EBCA6Bu);
        x ^= Vector512.ShiftRightLogical(x, 13);
        x *= Vector512.Create(0xC2B2AE35u);
        x ^= Vector512.ShiftRightLogical(x, 16);
        return Vector512.BitwiseAnd(Vector512.GreaterThanOrEqual(x, Vector512.Create(_threshold)).AsSingle(), Vector512.Create(KeepScale));
    }

    /// <summary>mask[i] = Factor(start + i).</summary>
    public void Fill(Span<float> mask, uint start)
    {
        int i = 0;
        var variant = KernelSettings.Variant;
        if (variant == KernelVariant.Vector512)
        {
            var lane = Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
            for (; i <= mask.Length - 16; i += 16) Factors(Vector512.Create(start + (uint)i) + lane).CopyTo(mask.Slice(i, 16));
        }
        else if (variant == KernelVariant.Vector256)
        {
            var lane = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
            var keep = Vector256.Create(KeepScale);
            var threshold = Vector256.Create(_threshold);
            for (; i <= mask.Length - 8; i += 8)
            {
                var x = (Vector256.Create(start + (uint)i) + lane) * Vector256.Create(0x9E3779B1u) + Vector256.Create(_seedLo);
                x ^= Vector256.Create(_seedHi);
                x ^= Vector256.ShiftRightLogical(x, 16);
                x *= Vector256.Create(0x85EBCA6Bu);
                x ^= Vector256.ShiftRightLogical(x, 13);
                x *= Vector256.Create(0xC2B2AE35u);
                x ^= Vector256.ShiftRightLogical(x, 16);
                var kept = Vector256.GreaterThanOrEqual(x, threshold).AsSingle();
                Vector256.BitwiseAnd(kept, keep).CopyTo(mask.Slice(i, 8));
            }
        }
        for (; i < mask.Length; i++) mask[i] = Factor(start + (uint)i);
    }
}
