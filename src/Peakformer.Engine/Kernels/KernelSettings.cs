using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// The kernel variant in force. Chosen at start-up from the hardware, or forced with the environment variable
/// <c>PEAKFORMER_KERNELS</c> = <c>reference</c> | <c>vector128</c> (<c>sse</c>, <c>neon</c>) | <c>vector256</c> |
/// <c>vector512</c> | <c>auto</c>.
/// </summary>
/// <remarks>
/// Results are deterministic within a tier on one kind of CPU, not across tiers. Two things still follow the hardware
/// rather than the tier, and are kept so the weight hashes of the existing tiers stay bit-identical:
/// <list type="bullet">
/// <item>Under Vector256, layer norm, softmax, AddScaled and Sum call System.Numerics.Tensors.TensorPrimitives, which
/// picks its own width: a forced Vector256 on an AVX-512 CPU sums in 512-bit lanes, so its weights differ from a real
/// AVX2 CPU's (WeightHashTests pins both). Vector128 routes these through its own kernels (RowKernels128) instead.
/// ParameterSet's gradient norm (TensorPrimitives.Norm, one reduction per step, every tier) also sums at the CPU's
/// width; it only matters when clipping engages, and scaling by its result is element-wise.</item>
/// <item>Vector128 fuses multiply-adds only where the CPU has FMA (x86 FMA3, every ARM64 NEON unit; see
/// <see cref="Simd128.HasFma"/>): Vector128.FusedMultiplyAdd without it is a correct but slow software fallback, so
/// an SSE-only CPU computes a*b+c in two roundings and gets other bits than an FMA CPU forced to Vector128.</item>
/// </list>
/// Forcing a narrower tier on a wider CPU does not stop the JIT from using the wider CPU's encodings (VEX/EVEX) for the
/// narrow vectors; the honest proxy for a 128-bit CPU is <c>DOTNET_EnableAVX2=0</c>.
/// </remarks>
public static class KernelSettings
{
    public const string EnvironmentVariable = "PEAKFORMER_KERNELS";

    private static KernelVariant _variant = FromEnvironment();

    private static readonly AsyncLocal<MatrixPrecision> _precision = new();

    /// <summary>
    /// The precision of matrix products (<see cref="Gemm"/>) in this flow of execution: float32 unless a run sets
    /// bfloat16 (`train --precision bf16`). It flows with the async context rather than being global, so a bfloat16 run
    /// in one test does not change the products of another running beside it.
    /// </summary>
    public static MatrixPrecision Precision
    {
        get => _precision.Value;
        set => _precision.Value = value;
    }

    /// <summary>Reads fp32 or bf16 (any case).</summary>
    public static MatrixPrecision ParsePrecision(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null or "" or "fp32" or "float32" => MatrixPrecision.Fp32,
        "bf16" or "bfloat16" => MatrixPrecision.Bf16,
        _ => throw new ArgumentException($"precision: expected fp32 or bf16, found '{text}'."),
    };

    /// <summary>Lower-case name of a precision, as <see cref="ParsePrecision"/> reads it.</summary>
    public static string Name(MatrixPrecision precision) => precision.ToString().ToLowerInvariant();

    /// <summary>The fastest variant this CPU supports.</summary>
    public static KernelVariant Best =>
        IsSupported(KernelVariant.Vector512) ? KernelVariant.Vector512
        : IsSupported(KernelVariant.Vector256) ? KernelVariant.Vector256
        : IsSupported(KernelVariant.Vector128) ? KernelVariant.Vector128
        : KernelVariant.Reference;

    public static KernelVariant Variant
    {
        get => _variant;
        set
        {
            if (!IsSupported(value))
                throw new NotSupportedException($"Kernel variant {value} is not supported by this CPU (best available: {Best}).");
            _variant = value;
        }
    }

    /// <summary>
    /// Vector512 and Vector256 kernels use x86 helpers (AVX-512F getmant/scalef, AVX vrcpps, FMA3) beside the portable
    /// vectors, so they need those instruction sets too; Vector128 is portable (SSE4.1 on x86, AdvSimd on ARM64).
    /// </summary>
    public static bool IsSupported(KernelVariant variant) => variant switch
    {
        KernelVariant.Reference => true,
        KernelVariant.Vector128 => Vector128.IsHardwareAccelerated && (Sse41.IsSupported || AdvSimd.Arm64.IsSupported),
        KernelVariant.Vector256 => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported,
        KernelVariant.Vector512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported,
        _ => false,
    };

    /// <summary>Every variant this CPU can run, for tests that compare them.</summary>
    public static IReadOnlyList<KernelVariant> Supported =>
        Enum.GetValues<KernelVariant>().Where(IsSupported).ToArray();

    /// <summary>Lower-case name of a variant, as <see cref="Parse"/> reads it.</summary>
    public static string Name(KernelVariant variant) => variant.ToString().ToLowerInvariant();

    /// <summary>The name and the instructions a tier runs on this CPU, e.g. "vector512 (AVX-512)".</summary>
    public static string Describe(KernelVariant variant) => Name(variant) + variant switch
    {
        KernelVariant.Vector512 => " (AVX-512)",
        KernelVariant.Vector256 => " (AVX2, FMA)",
        KernelVariant.Vector128 when AdvSimd.Arm64.IsSupported => " (NEON)",
        KernelVariant.Vector128 => Fma.IsSupported ? " (SSE, fused multiply-add)" : " (SSE, no FMA)",
        _ => " (scalar)",
    };

    public static KernelVariant Parse(string? text)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto": return Best;
            case "reference": return KernelVariant.Reference;
            case "vector128" or "sse" or "neon": return KernelVariant.Vector128;
            case "vector256" or "avx2": return KernelVariant.Vector256;
            case "vector512" or "avx512": return KernelVariant.Vector512;
            default:
                throw new ArgumentException($"{EnvironmentVariable}: expected reference, vector128, vector256, vector512 or auto, found '{text}'.");
        }
    }

    private static KernelVariant FromEnvironment()
    {
        var variant = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));
        if (!IsSupported(variant))
            throw new NotSupportedException($"{EnvironmentVariable}={variant}: this CPU supports at most {Best}.");
        return variant;
    }
}
