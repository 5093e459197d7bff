using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Tests.Support;

public static class Make
{
    public static Tensor Random(Rng rng, Shape shape, double scale = 1.0)
    {
        var t = Tensor.Zeros(shape);
        var d = t.Data;
        for (int i = 0; i < d.Length; i++) d[i] = (float)(rng.NextNormal() * scale);
        return t;
    }

    public static Tensor Random(Rng rng, params int[] dims) => Random(rng, new Shape(dims));

    public static float[] Floats(Rng rng, int n, double scale = 1.0)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)(rng.NextNormal() * scale);
        return a;
    }
}
