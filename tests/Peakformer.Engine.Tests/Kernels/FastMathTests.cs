using System.Runtime.Intrinsics;
using Peakformer.Engine.Kernels;

namespace Peakformer.Engine.Tests.Kernels;

public class FastMathTests
{
    private static IEnumerable<float> Arguments()
    {
        for (double x = -110; x <= 89; x += 0.0137) yield return (float)x;
        yield return float.NegativeInfinity;
        yield return 0f;
        yield return -0f;
    }

    [Fact]
    public void Vector_log_is_within_two_ulp_of_MathF_log_over_the_normal_floats()
    {
        if (!KernelSettings.IsSupported(KernelVariant.Vector512)) return;
        // Around 1 (where log is small and cancellation bites), across the sums of softmax weights, and far out.
        var args = new List<float>();
        for (double x = 0.5; x <= 2.0; x += 1.0 / 4096) args.Add((float)x);
        for (double x = 1; x <= 1e5; x *= 1.0013) args.Add((float)x);
        for (int e = -125; e <= 127; e++) args.Add(MathF.ScaleB(1.37f, e));
        while (args.Count % 16 != 0) args.Add(1f);
        var values = args.ToArray();
        for (int i = 0; i < values.Length; i += 16)
        {
            var result = FastMath.Log(Vector512.Create(values.AsSpan(i, 16)));
            for (int k = 0; k < 16; k++)
            {
                float x = values[i + k], expected = MathF.Log(x);
                float ulp = MathF.BitIncrement(Math.Abs(expected)) - Math.Abs(expected);
                Assert.True(Math.Abs(result[k] - expected) <= 2 * ulp, $"log({x:R}) = {result[k]:R}, MathF.Log gives {expected:R}");
            }
        }
    }

    [Fact]
    public void Vector_exp_is_within_two_ulp_of_MathF_exp_and_underflows_to_zero()
    {
        var args = Arguments().ToArray();
        foreach (int width in new[] { 4, 8, 16 })
        {
            if (width == 16 && !KernelSettings.IsSupported(KernelVariant.Vector512)) continue;
            if (width == 8 && !KernelSettings.IsSupported(KernelVariant.Vector256)) continue;
            if (width == 4 && !KernelSettings.IsSupported(KernelVariant.Vector128)) continue;
            for (int i = 0; i + width <= args.Length; i += width)
            {
                var result = new float[width];
                if (width == 16) FastMath.Exp(Vector512.Create(args.AsSpan(i, 16))).CopyTo(result);
                else if (width == 8) FastMath.Exp(Vector256.Create(args.AsSpan(i, 8))).CopyTo(result);
                else FastMath.Exp(Vector128.Create(args.AsSpan(i, 4))).CopyTo(result);
                for (int k = 0; k < width; k++)
                {
                    float x = args[i + k], expected = MathF.Exp(x);
                    if (x < -87f) { Assert.True(result[k] == 0f, $"exp({x}) = {result[k]}, expected ~0"); continue; }
                    if (x > 88.7f) continue;
                    float ulp = MathF.BitIncrement(expected) - expected;
                    Assert.True(Math.Abs(result[k] - expected) <= 2 * ulp, $"width {width}: exp({x}) = {result[k]:R}, MathF.Exp gives {expected:R}");
                }
            }
        }
        // Each width only where the CPU has it (DOTNET_EnableAVX512=0, DOTNET_EnableAVX2=0).
        if (KernelSettings.IsSupported(KernelVariant.Vector512)) Assert.Equal(0f, FastMath.Exp(Vector512.Create(float.NegativeInfinity))[0]);
        if (KernelSettings.IsSupported(KernelVariant.Vector256)) Assert.Equal(0f, FastMath.Exp(Vector256.Create(float.NegativeInfinity))[0]);
        if (KernelSettings.IsSupported(KernelVariant.Vector128)) Assert.Equal(0f, FastMath.Exp(Vector128.Create(float.NegativeInfinity))[0]);
    }
}
