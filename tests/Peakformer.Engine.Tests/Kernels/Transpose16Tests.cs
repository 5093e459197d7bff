using System.Runtime.Intrinsics;
using Peakformer.Engine.Kernels;

namespace Peakformer.Engine.Tests.Kernels;

public class Transpose16Tests
{
    [Fact]
    public unsafe void Shuffle_transpose_matches_the_definition()
    {
        if (!KernelSettings.IsSupported(KernelVariant.Vector512)) return;
        var input = new float[256];
        for (int i = 0; i < 256; i++) input[i] = i;
        var output = new float[256];
        fixed (float* pi = input)
        fixed (float* po = output)
            Transpose16.Run((Vector512<float>*)pi, (Vector512<float>*)po);
        for (int r = 0; r < 16; r++)
            for (int c = 0; c < 16; c++)
                Assert.True(output[c * 16 + r] == input[r * 16 + c], $"output[{c}][{r}] = {output[c * 16 + r]}, expected {input[r * 16 + c]}");
    }
}
