using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>a + b, where b equals a's shape or its trailing dimensions (a bias, a positional table).</summary>
    public static Tensor Add(Tape tape, Tensor a, Tensor b)
    {
        int inner = SuffixBroadcast("Add", a.Shape, b.Shape);
        var y = tape.Empty(a.Shape);
        var ya = y.Data;
        var ad = a.Data;
        var bd = b.Data;
        for (int o = 0; o < ad.Length; o += inner)
            Elementwise.Map<ActivationFunctions.Add>(ad.Slice(o, inner), bd, ya.Slice(o, inner));
        if (tape.Wants(a, b))
        {
            var node = tape.Record<AddNode>(y);
            node.A = a;
            node.B = b;
        }
        return tape.Produced(y, "Add");
    }

    /// <summary>a * b element-wise, where b equals a's shape or its trailing dimensions.</summary>
    public static Tensor Mul(Tape tape, Tensor a, Tensor b)
    {
        int inner = SuffixBroadcast("Mul", a.Shape, b.Shape);
        var y = tape.Empty(a.Shape);
        var ad = a.Data;
        for (int o = 0; o < ad.Length; o += inner)
            Elementwise.Map<ActivationFunctions.Multiply>(ad.Slice(o, inner), b.Data, y.Data.Slice(o, inner));
        if (tape.Wants(a, b))
        {
            var node = tape.Record<MulNode>(y);
            node.A = a;
            node.B = b;
        }
        return tape.Produced(y, "Mul");
    }

    /// <summary>s * x.</summary>
    public static Tensor Scale(Tape tape, Tensor x, float s)
    {
        var y = tape.Zeros(x.Shape);
        Elementwise.AddScaled(x.Data, s, y.Data);
        if (tape.Wants(x))
        {
            var node = tape.Record<ScaleNode>(y);
            node.X = x;
            node.S = s;
        }
        return tape.Produced(y, "Scale");
    }

    private sealed class AddNode : Node
    {
        public Tensor A = null!, B = null!;
        public override string Name => "Add";

        internal override void Backward(Tape tape)
        {
            var dy = Output.Grad!.Data;
            if (A.RequiresGrad)
            {
                var (da, accumulate) = tape.GradTarget(A);
                if (accumulate) Elementwise.AddInPlace(dy, da.Data);
                else dy.CopyTo(da.Data);
            }
            if (B.RequiresGrad)
            {
                var db = tape.GradOf(B).Data;
                for (int o = 0; o < dy.Length; o += db.Length) Elementwise.AddInPlace(dy.Slice(o, db.Length), db);
            }
        }
    }

    private sealed class MulNode : Node
    {
        public Tensor A = null!, B = null!;
        public override string Name => "Mul";

        internal override void Backward(Tape tape)
        {
            var dy = Output.Grad!.Data;
            int inner = B.Size;
            if (A.RequiresGrad)
            {
                var da = tape.GradOf(A).Data;
                for (int o = 0; o < dy.Length; o += inner)
                    Elementwise.Map<ActivationFunctions.Multiply>(dy.Slice(o, inner), B.Data, da.Slice(o, inner), accumulate: true);
            }
            if (B.RequiresGrad)
            {
                var db = tape.GradOf(B).Data;
                var ad = A.Data;
                for (int o = 0; o < dy.Length; o += inner)
                    Elementwise.Map<ActivationFunctions.Multiply>(dy.Slice(o, inner), ad.Slice(o, inner), db, accumulate: true);
            }
        }
    }

    private sealed class ScaleNode : Node
    {
        public Tensor X = null!;
        public float S;
        public override string Name => "Scale";

        internal override void Backward(Tape tape) => Elementwise.AddScaled(Output.Grad!.Data, S, tape.GradOf(X).Data);
    }
}
