using System.Runtime.Intrinsics;

namespace Peakformer.Engine.Kernels;

/// <summary>y = f(x). The scalar form is the reference; the vector forms must agree with it.</summary>
internal interface IUnaryFunction
{
    static abstract float Invoke(float x);
    static abstract Vector128<float> Invoke(Vector128<float> x);
    static abstract Vector256<float> Invoke(Vector256<float> x);
    static abstract Vector512<float> Invoke(Vector512<float> x);
}

/// <summary>z = f(x, y), e.g. an input gradient from an input and an output gradient.</summary>
internal interface IBinaryFunction
{
    static abstract float Invoke(float x, float y);
    static abstract Vector128<float> Invoke(Vector128<float> x, Vector128<float> y);
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);
    static abstract Vector512<float> Invoke(Vector512<float> x, Vector512<float> y);
}
