using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>Applies element-wise functions in the kernel variant in force; the scalar loop is the reference.</summary>
internal static class Elementwise
{
    /// <summary>y = f(x), or y += f(x) when accumulating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Map<TF>(ReadOnlySpan<float> x, Span<float> y, bool accumulate = false) where TF : IUnaryFunction
    {
        if (y.Length < x.Length) throw new ArgumentException($"Map: output holds {y.Length} values, input {x.Length}.");
        int n = x.Length, i = 0;
        fixed (float* px = x)
        fixed (float* py = y)
        {
            var variant = KernelSettings.Variant;
            if (variant == KernelVariant.Vector512)
            {
                for (; i <= n - 16; i += 16)
                {
                    var v = TF.Invoke(Vector512.Load(px + i));
                    Vector512.Store(accumulate ? Vector512.Load(py + i) + v : v, py + i);
                }
            }
            else if (variant == KernelVariant.Vector256)
            {
                for (; i <= n - 8; i += 8)
                {
                    var v = TF.Invoke(Vector256.Load(px + i));
                    Vector256.Store(accumulate ? Vector256.Load(py + i) + v : v, py + i);
                }
            }
            else if (variant == KernelVariant.Vector128)
            {
                for (; i <= n - 4; i += 4)
                {
                    var v = TF.Invoke(Vector128.Load(px + i));
                    Vector128.Store(accumulate ? Vector128.Load(py + i) + v : v, py + i);
                }
            }
            for (; i < n; i++) py[i] = accumulate ? py[i] + TF.Invoke(px[i]) : TF.Invoke(px[i]);
        }
    }

    /// <summary>z = f(x, y), or z += f(x, y) when accumulating.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Map<TF>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> z, bool accumulate = false) where TF : IBinaryFunction
    {
        if (y.Length < x.Length || z.Length < x.Length)
            throw new ArgumentException($"Map: lengths differ (x {x.Length}, y {y.Length}, z {z.Length}).");
        int n = x.Length, i = 0;
        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pz = z)
        {
            var variant = KernelSettings.Variant;
            if (variant == KernelVariant.Vector512)
            {
                for (; i <= n - 16; i += 16)
                {
                    var v = TF.Invoke(Vector512.Load(px + i), Vector512.Load(py + i));
                    Vector512.Store(accumulate ? Vector512.Load(pz + i) + v : v, pz + i);
                }
            }
            else if (variant == KernelVariant.Vector256)
            {
                for (; i <= n - 8; i += 8)
                {
                    var v = TF.Invoke(Vector256.Load(px + i), Vector256.Load(py + i));
                    Vector256.Store(accumulate ? Vector256.Load(pz + i) + v : v, pz + i);
                }
            }
            else if (variant == KernelVariant.Vector128)
            {
                for (; i <= n - 4; i += 4)
                {
                    var v = TF.Invoke(Vector128.Load(px + i), Vector128.Load(py + i));
                    Vector128.Store(accumulate ? Vector128.Load(pz + i) + v : v, pz + i);
                }
            }
            for (; i < n; i++) pz[i] = accumulate ? pz[i] + TF.Invoke(px[i], py[i]) : TF.Invoke(px[i], py[i]);
        }
    }

    /// <summary>y += x.</summary>
    public static void AddInPlace(ReadOnlySpan<float> x, Span<float> y) => Map<Identity>(x, y, accumulate: true);

    /// <summary>y += s * x.</summary>
    public static void AddScaled(ReadOnlySpan<float> x, float s, Span<float> y)
    {
        var variant = KernelSettings.Variant;
        if (variant == KernelVariant.Reference)
        {
            for (int i = 0; i < x.Length; i++) y[i] += s * x[i];
            return;
        }
        if (variant == KernelVariant.Vector128)
        {
            RowKernels128.AddScaled(x, s, y);
            return;
        }
        System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x, s, y[..x.Length], y);
    }

    /// <summary>Sum of all values (double accumulation in the reference).</summary>
    public static float Sum(ReadOnlySpan<float> x)
    {
        if (KernelSettings.Variant == KernelVariant.Reference)
        {
            double s = 0;
            foreach (var v in x) s += v;
            return (float)s;
        }
        if (KernelSettings.Variant == KernelVariant.Vector128) return RowKernels128.Sum(x);
        return System.Numerics.Tensors.TensorPrimitives.Sum(x);
    }

    /// <summary>Adds each row of x[rows, cols] into sums[cols].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void SumRows(ReadOnlySpan<float> x, int cols, Span<float> sums)
    {
        int rows = x.Length / cols;
        if (KernelSettings.Variant != KernelVariant.Vector512 || cols % 16 != 0 || cols > 512)
        {
            for (int c = 0; c < cols; c++)
            {
                float total = 0f;
                for (int r = 0; r < rows; r++) total += x[r * cols + c];
                sums[c] += total;
            }
            return;
        }
        // One pass down the rows with a vector accumulator per 16 columns: each column is summed in row order, as in
        // the reference, and the rows stream through memory once.
        int vectors = cols / 16;
        Vector512<float>* acc = stackalloc Vector512<float>[vectors];
        for (int v = 0; v < vectors; v++) acc[v] = Vector512<float>.Zero;
        fixed (float* px = x)
        fixed (float* ps = sums)
        {
            float* row = px;
            for (int r = 0; r < rows; r++, row += cols)
                for (int v = 0; v < vectors; v++) acc[v] += Vector512.Load(row + 16 * v);
            for (int v = 0; v < vectors; v++) Vector512.Store(Vector512.Load(ps + 16 * v) + acc[v], ps + 16 * v);
        }
    }

    private readonly struct Identity : IUnaryFunction
    {
        public static float Invoke(float x) => x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<float> Invoke(Vector128<float> x) => x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Invoke(Vector256<float> x) => x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Invoke(Vector512<float> x) => x;
    }
}
