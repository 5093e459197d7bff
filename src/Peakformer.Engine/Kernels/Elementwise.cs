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
            for (; i < n; i++) pz[i] = accumulate ? pz[i] + TF.Invoke(px[i], py[i]) : TF.Invoke(px[i], py[i]);
        }
    }

    /// <summary>y += x.</summary>
    public static void AddInPlace(ReadOnlySpan<float> x, Span<float> y) => Map<Identity>(x, y, accumulate: true);

    /// <summary>y += s * x.</summary>
    public static void AddScaled(ReadOnlySpan<float> x, float s, Span<float> y)
    {
        if (KernelSettings.Variant == KernelVariant.Reference)
        {
            for (int i = 0; i < x.Length; i++) y[i] += s * x[i];
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
        return System.Numerics.Tensors.TensorPrimitives.Sum(x);
    }

    /// <summary>Adds each row of x[rows, cols] into sums[cols].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void SumRows(ReadOnlySpan<float> x, int cols, Span<float> sums)
    {
        int rows = x.Length / cols;
        if (KernelSettings.Variant != KernelVariant.Vector512 || cols % 16 != 0 || cols > 256)
        {
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++) sums[c] += x[r * cols + c];
            return;
        }
        fixed (float* px = x)
        fixed (float* ps = sums)
        {
            // Column blocks of up to 4 vectors held in registers while walking all rows.
            for (int c0 = 0; c0 < cols; c0 += 64)
            {
                int width = Math.Min(64, cols - c0);
                Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int r = 0; r < rows; r++)
                {
                    float* row = px + (long)r * cols + c0;
                    s0 += Vector512.Load(row);
                    if (width > 16) s1 += Vector512.Load(row + 16);
                    if (width > 32) s2 += Vector512.Load(row + 32);
                    if (width > 48) s3 += Vector512.Load(row + 48);
                }
                Vector512.Store(Vector512.Load(ps + c0) + s0, ps + c0);
                if (width > 16) Vector512.Store(Vector512.Load(ps + c0 + 16) + s1, ps + c0 + 16);
                if (width > 32) Vector512.Store(Vector512.Load(ps + c0 + 32) + s2, ps + c0 + 32);
                if (width > 48) Vector512.Store(Vector512.Load(ps + c0 + 48) + s3, ps + c0 + 48);
            }
        }
    }

    private readonly struct Identity : IUnaryFunction
    {
        public static float Invoke(float x) => x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<float> Invoke(Vector256<float> x) => x;
        [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<float> Invoke(Vector512<float> x) => x;
    }
}
