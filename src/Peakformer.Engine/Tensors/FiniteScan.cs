using System.Numerics;
using System.Runtime.InteropServices;

namespace Peakformer.Engine.Tensors;

/// <summary>Finds NaN and infinity in float data: x - x is 0 for every finite x and NaN otherwise, a vector at a time.</summary>
public static class FiniteScan
{
    /// <summary>Index of the first NaN or infinite value, or -1 when all are finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
            for (int v = 0; v < vectors.Length; v++)
            {
                var x = vectors[v];
                if (!Vector.EqualsAll(x - x, Vector<float>.Zero)) { i = v * Vector<float>.Count; break; }
                i = (v + 1) * Vector<float>.Count;
            }
        }
        for (; i < values.Length; i++)
            if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
