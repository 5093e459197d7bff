using System.Runtime.Intrinsics.X86;

namespace Peakformer.Engine.Kernels;

/// <summary>
/// The kernel variant in force. Chosen at start-up from the hardware, or forced with the
/// environment variable <c>PEAKFORMER_KERNELS</c> = <c>reference</c> | <c>vector256</c> | <c>vector512</c> | <c>auto</c>.
/// </summary>
public static class KernelSettings
{
    public const string EnvironmentVariable = "PEAKFORMER_KERNELS";

    private static KernelVariant _variant = FromEnvironment();

    /// <summary>The fastest variant this CPU supports.</summary>
    public static KernelVariant Best =>
        Avx512F.IsSupported ? KernelVariant.Vector512
        : Fma.IsSupported && Avx2.IsSupported ? KernelVariant.Vector256
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

    public static bool IsSupported(KernelVariant variant) => variant switch
    {
        KernelVariant.Reference => true,
        KernelVariant.Vector256 => Fma.IsSupported && Avx2.IsSupported,
        KernelVariant.Vector512 => Avx512F.IsSupported,
        _ => false,
    };

    /// <summary>Every variant this CPU can run, for tests that compare them.</summary>
    public static IReadOnlyList<KernelVariant> Supported =>
        Enum.GetValues<KernelVariant>().Where(IsSupported).ToArray();

    public static KernelVariant Parse(string? text)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto": return Best;
            case "reference": return KernelVariant.Reference;
            case "vector256" or "avx2": return KernelVariant.Vector256;
            case "vector512" or "avx512": return KernelVariant.Vector512;
            default:
                throw new ArgumentException($"{EnvironmentVariable}: expected reference, vector256, vector512 or auto, found '{text}'.");
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
