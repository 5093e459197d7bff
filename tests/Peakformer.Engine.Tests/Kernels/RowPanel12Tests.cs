using System.Runtime.Intrinsics.X86;
using Peakformer.Engine.Kernels;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tests.Support;

namespace Peakformer.Engine.Tests.Kernels;

public class RowPanel12Tests
{
    [Fact]
    public unsafe void Packs_twelve_rows_k_major_for_every_depth_and_stride()
    {
        if (!Avx512F.IsSupported) return;
        var rng = new Rng(5);
        foreach (int kc in new[] { 1, 15, 16, 17, 33, 64, 257 })
            foreach (int extra in new[] { 0, 3, 16 })
            {
                int lda = kc + extra;
                var a = Make.Floats(rng, 12 * lda);
                var panel = new float[12 * kc + 8];
                panel.AsSpan().Fill(float.NaN);
                fixed (float* pa = a)
                fixed (float* pp = panel)
                    RowPanel12.Pack(pa, lda, kc, pp);
                for (int p = 0; p < kc; p++)
                    for (int x = 0; x < 12; x++)
                        Assert.True(a[x * lda + p] == panel[p * 12 + x], $"kc={kc} lda={lda}: panel[{p}, {x}] = {panel[p * 12 + x]}, A[{x}, {p}] = {a[x * lda + p]}");
                Assert.True(float.IsNaN(panel[12 * kc]), $"kc={kc} lda={lda}: wrote past the panel");
            }
    }
}
