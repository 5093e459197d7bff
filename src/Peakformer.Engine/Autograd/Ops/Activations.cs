using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

/// <summary>Which GELU formula: PyTorch's approximate='none' (erf) or 'tanh'.</summary>
public enum GeluApproximation
{
    None,
    Tanh,
}

public static partial class Ops
{
    public static Tensor Gelu(Tape tape, Tensor x, GeluApproximation approximation = GeluApproximation.None)
    {
        var y = tape.Empty(x.Shape);
        bool wants = tape.Wants(x);
        if (approximation == GeluApproximation.Tanh) Elementwise.Map<ActivationFunctions.GeluTanh>(x.Data, y.Data);
        else if (!wants) Elementwise.Map<ActivationFunctions.GeluErf>(x.Data, y.Data);
        if (wants)
        {
            var node = tape.Record<GeluNode>(y);
            node.X = x;
            node.Approximation = approximation;
            if (approximation == GeluApproximation.None)
            {
                // Keep Phi(x) for the backward pass.
                (node.Cdf, node.CdfOffset) = tape.Scratch(x.Size);
                GeluKernels.Forward(x.Data, y.Data, node.Cdf.AsSpan(node.CdfOffset, x.Size), default);
            }
        }
        return tape.Produced(y, "Gelu");
    }

    public static Tensor Relu(Tape tape, Tensor x)
    {
        var y = tape.Empty(x.Shape);
        Elementwise.Map<ActivationFunctions.Relu>(x.Data, y.Data);
        if (tape.Wants(x)) tape.Record<ReluNode>(y).X = x;
        return tape.Produced(y, "Relu");
    }

    public static Tensor Sigmoid(Tape tape, Tensor x)
    {
        var y = tape.Empty(x.Shape);
        Elementwise.Map<ActivationFunctions.Sigmoid>(x.Data, y.Data);
        if (tape.Wants(x)) tape.Record<SigmoidNode>(y).X = x;
        return tape.Produced(y, "Sigmoid");
    }

    public static Tensor Tanh(Tape tape, Tensor x)
    {
        var y = tape.Empty(x.Shape);
        Elementwise.Map<ActivationFunctions.Tanh>(x.Data, y.Data);
        if (tape.Wants(x)) tape.Record<TanhNode>(y).X = x;
        return tape.Produced(y, "Tanh");
    }

    /// <summary>log(1 + exp(x)), a smooth non-negative rate.</summary>
    public static Tensor Softplus(Tape tape, Tensor x)
    {
        var y = tape.Empty(x.Shape);
        Elementwise.Map<ActivationFunctions.Softplus>(x.Data, y.Data);
        if (tape.Wants(x)) tape.Record<SoftplusNode>(y).X = x;
        return tape.Produced(y, "Softplus");
    }

    private sealed class SoftplusNode : Node
    {
        public Tensor X = null!;
        public override string Name => "Softplus";

        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            Elementwise.Map<ActivationFunctions.SoftplusBackward>(X.Data, Output.Grad!.Data, dx.Data, accumulate);
        }
    }

    private sealed class GeluNode : Node
    {
        public Tensor X = null!;
        public GeluApproximation Approximation;
        public float[] Cdf = null!;
        public int CdfOffset;
        public override string Name => "Gelu";

        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            if (Approximation == GeluApproximation.None)
                GeluKernels.Backward(X.Data, Cdf.AsSpan(CdfOffset, X.Size), Output.Grad!.Data, default, dx.Data, accumulate);
            else
                Elementwise.Map<ActivationFunctions.GeluTanhBackward>(X.Data, Output.Grad!.Data, dx.Data, accumulate);
        }
    }

    private sealed class ReluNode : Node
    {
        public Tensor X = null!;
        public override string Name => "Relu";
        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            Elementwise.Map<ActivationFunctions.ReluBackward>(X.Data, Output.Grad!.Data, dx.Data, accumulate);
        }
    }

    private sealed class SigmoidNode : Node
    {
        public Tensor X = null!;
        public override string Name => "Sigmoid";
        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            Elementwise.Map<ActivationFunctions.SigmoidBackward>(Output.Data, Output.Grad!.Data, dx.Data, accumulate);
        }
    }

    private sealed class TanhNode : Node
    {
        public Tensor X = null!;
        public override string Name => "Tanh";
        internal override void Backward(Tape tape)
        {
            var (dx, accumulate) = tape.GradTarget(X);
            Elementwise.Map<ActivationFunctions.TanhBackward>(Output.Data, Output.Grad!.Data, dx.Data, accumulate);
        }
    }
}
