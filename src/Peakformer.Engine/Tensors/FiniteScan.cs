using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Peakformer.Engine.Kernels;

namespace Peakformer.Engine.Tensors;

/// <summary>Finds NaN and infinity in float data: x - x is 0 for every finite x and NaN otherwise, a vector at a time.</summary>
public static class FiniteScan
{
    /// <summary>Index of the first NaN or infinite value, or -1 when all are finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        // The variant in force decides, not the hardware: Reference scans element by element; Vector256 and Vector512
        // share the 256-bit body, Vector128 has its own (the answer is an index, the same at any width).
        var variant = KernelSettings.Variant;
        if (variant == KernelVariant.Vector128 && values.Length >= Vector128<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector128<float>>(values);
            for (int v = 0; v < vectors.Length; v++)
            {
                var x = vectors[v];
                if (!Vector128.EqualsAll(x - x, Vector128<float>.Zero)) { i = v * Vector128<float>.Count; break; }
                i = (v + 1) * Vector128<float>.Count;
            }
        }
        else if (variant != KernelVariant.Reference && values.Length >= Vector256<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector256<float>>(values);
            for (int v = 0; v < vectors.Length; v++)
            {
                var x = vectors[v];
                if (!Vector256.EqualsAll(x - x, Vector256<float>.Zero)) { i = v * Vector256<float>.Count; break; }
                i = (v + 1) * Vector256<float>.Count;
            }
        }
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
