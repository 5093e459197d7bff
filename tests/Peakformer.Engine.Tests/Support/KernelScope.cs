using Peakformer.Engine.Kernels;

namespace Peakformer.Engine.Tests.Support;

/// <summary>Forces a kernel variant for the duration of a using block.</summary>
public sealed class KernelScope : IDisposable
{
    private readonly KernelVariant _previous;

    private KernelScope(KernelVariant variant)
    {
        _previous = KernelSettings.Variant;
        KernelSettings.Variant = variant;
    }

    public static KernelScope Use(KernelVariant variant) => new(variant);

    /// <summary>Every variant this CPU supports, as xunit theory data.</summary>
    public static TheoryData<KernelVariant> Variants()
    {
        var data = new TheoryData<KernelVariant>();
        foreach (var v in KernelSettings.Supported) data.Add(v);
        return data;
    }

    public void Dispose() => KernelSettings.Variant = _previous;
}
