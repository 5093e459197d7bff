using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// Counter-based dropout masks: element n keeps its value when a 16-bit draw u(n) is at or above round(p 2^16).
/// The draws are the halves of a 32-bit hash (MurmurHash3's finaliser) of (seed, h): element n uses
/// h = 16 (n / 32) + n % 16, the low half when n % 32 &lt; 16 and the high half otherwise, so one hash serves two
/// elements 16 apart and a vector of sixteen hashes gives 32 mask values. Any element can be regenerated from its
/// index, so no mask is stored: attention rebuilds its L x L mask in backward, and the fused ops rebuild theirs in
/// small chunks (<see cref="ChunkLength"/>) that stay in L1. The vector forms give exactly the scalar reference's bits.
/// </summary>
internal readonly struct DropoutMask
{
    /// <summary>Elements regenerated at a time by the ops that apply a mask (a multiple of 32: 4 KB of floats).</summary>
    public const int ChunkLength = 1024;

    private readonly uint _seedLo, _seedHi, _threshold;

    public DropoutMask(ulong seed, float probability)
    {
        _seedLo = (uint)seed;
        _seedHi = (uint)(seed >> 32);
        _threshold = (uint)Math.Round(probability * 65536.0);
        Probability = probability;
        KeepScale = 1f / (1f - probability);
    }

    public float Probability { get; }
    public float KeepScale { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private uint Hash(uint index)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector512<uint> Hash(Vector512<uint> index)
    {
        var x = index * Vector512.Create(0x9E3779B1u) + Vector512.Create(_seedLo);
        x ^= Vector512.Create(_seedHi);
        x ^= Vector512.ShiftRightLogical(x, 16);
        x *= Vector512.Create(0x85EBCA6Bu);
        x ^= Vector512.ShiftRightLogical(x, 13);
        x *= Vector512.Create(0xC2B2AE35u);
        x ^= Vector512.ShiftRightLogical(x, 16);
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector256<uint> Hash(Vector256<uint> index)
    {
        var x = index * Vector256.Create(0x9E3779B1u) + Vector256.Create(_seedLo);
        x ^= Vector256.Create(_seedHi);
        x ^= Vector256.ShiftRightLogical(x, 16);
        x *= Vector256.Create(0x85EBCA6Bu);
        x ^= Vector256.ShiftRightLogical(x, 13);
        x *= Vector256.Create(0xC2B2AE35u);
        x ^= Vector256.ShiftRightLogical(x, 16);
        return x;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<uint> Hash(Vector128<uint> index)
    {
        var x = index * Vector128.Create(0x9E3779B1u) + Vector128.Create(_seedLo);
        x ^= Vector128.Create(_seedHi);
        x ^= Vector128.ShiftRightLogical(x, 16);
        x *= Vector128.Create(0x85EBCA6Bu);
        x ^= Vector128.ShiftRightLogical(x, 13);
        x *= Vector128.Create(0xC2B2AE35u);
        x ^= Vector128.ShiftRightLogical(x, 16);
        return x;
    }

    /// <summary>The 16-bit draw of element index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint Draw(uint index)
    {
        uint h = Hash(((index >> 5) << 4) | (index & 15));
        return (index & 16) == 0 ? h & 0xFFFF : h >> 16;
    }

    /// <summary>0 or 1/(1-p) for element index.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Factor(uint index) => Draw(index) >= _threshold ? KeepScale : 0f;

    /// <summary>Factor(index) for sixteen arbitrary indices at once (one hash per element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Factors(Vector512<uint> index)
    {
        var h = Hash(Vector512.ShiftLeft(Vector512.ShiftRightLogical(index, 5), 4) | (index & Vector512.Create(15u)));
        var draw = Avx512F.ShiftRightLogicalVariable(h, index & Vector512.Create(16u)) & Vector512.Create(0xFFFFu);
        return Vector512.BitwiseAnd(Vector512.GreaterThanOrEqual(draw, Vector512.Create(_threshold)).AsSingle(), Vector512.Create(KeepScale));
    }

    /// <summary>mask[i] = Factor(start + i): whole 32-element blocks from one vector of hashes, the ends one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public unsafe void Fill(Span<float> mask, uint start)
    {
        int i = 0, n = mask.Length;
        for (; i < n && ((start + (uint)i) & 31) != 0; i++) mask[i] = Factor(start + (uint)i);
        var variant = KernelSettings.Variant;
        fixed (float* pm = mask)
        {
            if (variant == KernelVariant.Vector512)
            {
                var lanes = Vector512.Create(0u, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
                var threshold = Vector512.Create(_threshold);
                var keep = Vector512.Create(KeepScale);
                for (; i + 32 <= n; i += 32)
                {
                    var h = Hash(Vector512.Create((start + (uint)i) >> 1) + lanes);
                    var low = Vector512.GreaterThanOrEqual(h & Vector512.Create(0xFFFFu), threshold).AsSingle();
                    var high = Vector512.GreaterThanOrEqual(Vector512.ShiftRightLogical(h, 16), threshold).AsSingle();
                    Vector512.Store(low & keep, pm + i);
                    Vector512.Store(high & keep, pm + i + 16);
                }
            }
            else if (variant == KernelVariant.Vector256)
            {
                var lanes = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);
                var threshold = Vector256.Create(_threshold);
                var keep = Vector256.Create(KeepScale);
                for (; i + 32 <= n; i += 32)
                {
                    uint h0 = (start + (uint)i) >> 1;
                    var first = Hash(Vector256.Create(h0) + lanes);        // lanes 0-7 of the block's sixteen hashes
                    var second = Hash(Vector256.Create(h0 + 8) + lanes);  // lanes 8-15
                    var mask16 = Vector256.Create(0xFFFFu);
                    Vector256.Store(Vector256.GreaterThanOrEqual(first & mask16, threshold).AsSingle() & keep, pm + i);
                    Vector256.Store(Vector256.GreaterThanOrEqual(second & mask16, threshold).AsSingle() & keep, pm + i + 8);
                    Vector256.Store(Vector256.GreaterThanOrEqual(Vector256.ShiftRightLogical(first, 16), threshold).AsSingle() & keep, pm + i + 16);
                    Vector256.Store(Vector256.GreaterThanOrEqual(Vector256.ShiftRightLogical(second, 16), threshold).AsSingle() & keep, pm + i + 24);
                }
            }
            else if (variant == KernelVariant.Vector128)
            {
                var lanes = Vector128.Create(0u, 1, 2, 3);
                var threshold = Vector128.Create(_threshold);
                var keep = Vector128.Create(KeepScale);
                var mask16 = Vector128.Create(0xFFFFu);
                for (; i + 32 <= n; i += 32)
                {
                    uint h0 = (start + (uint)i) >> 1;
                    for (int q = 0; q < 4; q++)   // hashes 4q..4q+3 of the block's sixteen
                    {
                        var h = Hash(Vector128.Create(h0 + 4 * (uint)q) + lanes);
                        Vector128.Store(Vector128.GreaterThanOrEqual(h & mask16, threshold).AsSingle() & keep, pm + i + 4 * q);
                        Vector128.Store(Vector128.GreaterThanOrEqual(Vector128.ShiftRightLogical(h, 16), threshold).AsSingle() & keep, pm + i + 16 + 4 * q);
                    }
                }
            }
        }
        for (; i < n; i++) mask[i] = Factor(start + (uint)i);
    }

    /// <summary>y (+)= x * mask, the mask regenerated a chunk at a time (element i has index start + i).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Apply(ReadOnlySpan<float> x, Span<float> y, bool accumulate = false, uint start = 0)
    {
        Span<float> chunk = stackalloc float[ChunkLength];
        for (int c = 0; c < x.Length; c += ChunkLength)
        {
            int n = Math.Min(ChunkLength, x.Length - c);
            var m = chunk[..n];
            Fill(m, start + (uint)c);
            Elementwise.Map<ActivationFunctions.Multiply>(x.Slice(c, n), m, y.Slice(c, n), accumulate);
        }
    }
}
