using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>y[..., out] = x[..., in] W[out, in]^T + b[out] (PyTorch's nn.Linear layout).</summary>
    public static Tensor Linear(Tape tape, Tensor x, Tensor weight, Tensor? bias)
    {
        if (weight.Shape.Rank != 2 || x.Shape.Last != weight.Shape[1])
            throw new ArgumentException($"Linear: input {x.Shape} does not match weight {weight.Shape} (expected last input dimension {(weight.Shape.Rank == 2 ? weight.Shape[1] : -1)}).");
        int outFeatures = weight.Shape[0], inFeatures = weight.Shape[1];
        if (bias is not null && (bias.Shape.Rank != 1 || bias.Shape[0] != outFeatures))
            throw new ArgumentException($"Linear: bias {bias.Shape} does not match weight {weight.Shape} (expected [{outFeatures}]).");
        int rows = x.Shape.Rows;
        var y = tape.Empty(x.Shape.WithLast(outFeatures));
        Gemm.Multiply(false, true, rows, outFeatures, inFeatures, x.Data, inFeatures, weight.Data, inFeatures, y.Data, outFeatures,
            bias: bias is null ? default : bias.Data);
        if (tape.Wants(x, weight, bias))
        {
            var node = tape.Record<LinearNode>(y);
            node.X = x;
            node.W = weight;
            node.B = bias;
        }
        return tape.Produced(y, "Linear");
    }

    /// <summary>
    /// Batched matrix product over leading dimensions: a[..., m, k] b[..., k, n] (with optional transposes of
    /// the last two axes). Both operands carry the same leading dimensions.
    /// </summary>
    public static Tensor MatMul(Tape tape, Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Shape.Rank < 2 || a.Shape.Rank != b.Shape.Rank)
            throw new ArgumentException($"MatMul: operands {a.Shape} and {b.Shape} must have equal rank of at least 2.");
        for (int i = 0; i < a.Shape.Rank - 2; i++)
            if (a.Shape[i] != b.Shape[i]) throw new ArgumentException($"MatMul: batch dimensions of {a.Shape} and {b.Shape} differ.");
        int ar = a.Shape[-2], ac = a.Shape[-1], br = b.Shape[-2], bc = b.Shape[-1];
        int m = transposeA ? ac : ar, k = transposeA ? ar : ac, kb = transposeB ? bc : br, n = transposeB ? br : bc;
        if (k != kb) throw new ArgumentException($"MatMul: inner dimensions differ: {a.Shape}{(transposeA ? "^T" : "")} x {b.Shape}{(transposeB ? "^T" : "")}.");
        int batch = a.Shape.Size / (ar * ac);
        var y = tape.Empty(a.Shape.With(-2, m).With(-1, n));
        for (int i = 0; i < batch; i++)
            Gemm.Multiply(transposeA, transposeB, m, n, k,
                a.Data.Slice(i * ar * ac, ar * ac), ac, b.Data.Slice(i * br * bc, br * bc), bc, y.Data.Slice(i * m * n, m * n), n);
        if (tape.Wants(a, b))
        {
            var node = tape.Record<MatMulNode>(y);
            node.A = a;
            node.B = b;
            node.TransposeA = transposeA;
            node.TransposeB = transposeB;
        }
        return tape.Produced(y, "MatMul");
    }

    private sealed class LinearNode : Node
    {
        public Tensor X = null!, W = null!;
        public Tensor? B;
        public override string Name => "Linear";

        internal override void Backward(Tape tape)
        {
            int outFeatures = W.Shape[0], inFeatures = W.Shape[1], rows = X.Shape.Rows;
            var dy = Output.Grad!.Data;
            if (X.RequiresGrad)   // dX += dY W
            {
                var (dx, accumulate) = tape.GradTarget(X);
                Gemm.Multiply(false, false, rows, inFeatures, outFeatures, dy, outFeatures, W.Data, inFeatures, dx.Data, inFeatures, accumulate);
            }
            if (W.RequiresGrad)   // dW += dY^T X
                Gemm.Multiply(true, false, outFeatures, inFeatures, rows, dy, outFeatures, X.Data, inFeatures, tape.GradOf(W).Data, inFeatures, accumulate: true);
            if (B is { RequiresGrad: true })
                Elementwise.SumRows(dy, outFeatures, tape.GradOf(B).Data);
        }
    }

    private sealed class MatMulNode : Node
    {
        public Tensor A = null!, B = null!;
        public bool TransposeA, TransposeB;
        public override string Name => "MatMul";

        internal override void Backward(Tape tape)
        {
            int ar = A.Shape[-2], ac = A.Shape[-1], br = B.Shape[-2], bc = B.Shape[-1];
            int m = Output.Shape[-2], n = Output.Shape[-1], k = TransposeA ? ar : ac;
            int batch = A.Shape.Size / (ar * ac);
            var dy = Output.Grad!.Data;
            for (int i = 0; i < batch; i++)
            {
                var dyi = dy.Slice(i * m * n, m * n);
                if (A.RequiresGrad)
                {
                    var da = tape.GradOf(A).Data.Slice(i * ar * ac, ar * ac);
                    var bi = B.Data.Slice(i * br * bc, br * bc);
                    // opA = dY opB^T; when A is stored transposed, dA = opB dY^T.
                    if (!TransposeA) Gemm.Multiply(false, !TransposeB, m, k, n, dyi, n, bi, bc, da, ac, accumulate: true);
                    else Gemm.Multiply(TransposeB, true, k, m, n, bi, bc, dyi, n, da, ac, accumulate: true);
                }
                if (B.RequiresGrad)
                {
                    var db = tape.GradOf(B).Data.Slice(i * br * bc, br * bc);
                    var ai = A.Data.Slice(i * ar * ac, ar * ac);
                    // opB grad = opA^T dY; when B is stored transposed, dB = dY^T opA.
                    if (!TransposeB) Gemm.Multiply(!TransposeA, false, k, n, m, ai, ac, dyi, n, db, bc, accumulate: true);
                    else Gemm.Multiply(true, TransposeA, n, k, m, dyi, n, ai, ac, db, bc, accumulate: true);
                }
            }
        }
    }
}
