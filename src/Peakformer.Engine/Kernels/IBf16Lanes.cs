using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// What the bfloat16 product needs of one vector width. A packed B row of 2 W columns is W 32-bit words: word x holds
/// column x in its low half and column x + W in its high half, so one load gives both halves as float32 with a shift
/// (low) and a mask (high), two cheap instructions in place of a widening conversion. The three widths keep their
/// bodies side by side; <see cref="ISimd{TV}"/> has no integer lanes to write them once.
/// </summary>
internal unsafe interface IBf16Lanes<TV> where TV : struct
{
    static abstract KernelVariant Variant { get; }
    static abstract int Width { get; }
    static abstract TV Zero { get; }
    static abstract TV Load(float* p);
    static abstract void Store(TV v, float* p);
    static abstract TV Add(TV a, TV b);
    static abstract TV Broadcast(float x);
    static abstract TV Fma(TV a, TV b, TV c);
    /// <summary>Columns x and x + W of a packed row as float32.</summary>
    static abstract void Widen(uint* p, out TV low, out TV high);
    /// <summary>W floats at low and W at high rounded to bfloat16 (as <see cref="BFloat16.FromFloat"/>) into one packed row.</summary>
    static abstract void Pack(float* low, float* high, uint* p);
}

internal readonly unsafe struct Bf16Lanes512 : IBf16Lanes<Vector512<float>>
{
    public static KernelVariant Variant => KernelVariant.Vector512;
    public static int Width => 16;
    public static Vector512<float> Zero => Vector512<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Load(float* p) => Vector512.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<float> v, float* p) => Vector512.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Broadcast(float x) => Vector512.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Fma(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(uint* p, out Vector512<float> low, out Vector512<float> high)
    {
        var words = Vector512.Load(p);
        low = (words << 16).AsSingle();
        high = (words & Vector512.Create(0xFFFF_0000u)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pack(float* low, float* high, uint* p) =>
        Vector512.Store((Round(Vector512.Load(low)) >> 16) | (Round(Vector512.Load(high)) & Vector512.Create(0xFFFF_0000u)), p);

    // The float32 whose upper half is the rounded bfloat16 (lower half garbage).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Round(Vector512<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = bits + Vector512.Create(0x7FFFu) + ((bits >> 16) & Vector512.Create(1u));
        var nan = ~Vector512.Equals(x, x).AsUInt32();
        return Vector512.ConditionalSelect(nan, bits | Vector512.Create(0x40_0000u), rounded);
    }
}

internal readonly unsafe struct Bf16Lanes256 : IBf16Lanes<Vector256<float>>
{
    public static KernelVariant Variant => KernelVariant.Vector256;
    public static int Width => 8;
    public static Vector256<float> Zero => Vector256<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Load(float* p) => Vector256.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<float> v, float* p) => Vector256.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Broadcast(float x) => Vector256.Create(x);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Fma(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(uint* p, out Vector256<float> low, out Vector256<float> high)
    {
        var words = Vector256.Load(p);
        low = (words << 16).AsSingle();
        high = (words & Vector256.Create(0xFFFF_0000u)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pack(float* low, float* high, uint* p) =>
        Vector256.Store((Round(Vector256.Load(low)) >> 16) | (Round(Vector256.Load(high)) & Vector256.Create(0xFFFF_0000u)), p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<uint> Round(Vector256<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = bits + Vector256.Create(0x7FFFu) + ((bits >> 16) & Vector256.Create(1u));
        var nan = ~Vector256.Equals(x, x).AsUInt32();
        return Vector256.ConditionalSelect(nan, bits | Vector256.Create(0x40_0000u), rounded);
    }
}

internal readonly unsafe struct Bf16Lanes128 : IBf16Lanes<Vector128<float>>
{
    public static KernelVariant Variant => KernelVariant.Vector128;
    public static int Width => 4;
    public static Vector128<float> Zero => Vector128<float>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Load(float* p) => Vector128.Load(p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<float> v, float* p) => Vector128.Store(v, p);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Broadcast(float x) => Vector128.Create(x);
    /// <summary>Fused where the CPU has FMA, as <see cref="Simd128.Fma"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Fma(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Simd128.Fma(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Widen(uint* p, out Vector128<float> low, out Vector128<float> high)
    {
        var words = Vector128.Load(p);
        low = (words << 16).AsSingle();
        high = (words & Vector128.Create(0xFFFF_0000u)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pack(float* low, float* high, uint* p) =>
        Vector128.Store((Round(Vector128.Load(low)) >> 16) | (Round(Vector128.Load(high)) & Vector128.Create(0xFFFF_0000u)), p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> Round(Vector128<float> x)
    {
        var bits = x.AsUInt32();
        var rounded = bits + Vector128.Create(0x7FFFu) + ((bits >> 16) & Vector128.Create(1u));
        var nan = ~Vector128.Equals(x, x).AsUInt32();
        return Vector128.ConditionalSelect(nan, bits | Vector128.Create(0x40_0000u), rounded);
    }
}
