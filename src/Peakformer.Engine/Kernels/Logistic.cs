namespace Peakformer.Engine.Kernels;

/// <summary>
/// The one scalar sigmoid, for code outside the engine (scores from logits): the same function the Sigmoid op
/// and the BCE backward use, written to stay finite and accurate for large |x|.
/// </summary>
public static class Logistic
{
    public static float Sigmoid(float x) => ActivationFunctions.Sigmoid.Invoke(x);
}
