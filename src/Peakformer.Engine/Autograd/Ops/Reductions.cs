using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>Sum of all elements, as a one-element tensor.</summary>
    public static Tensor Sum(Tape tape, Tensor x) => Total(tape, x, 1f, "Sum");

    /// <summary>Mean of all elements, as a one-element tensor.</summary>
    public static Tensor Mean(Tape tape, Tensor x) => Total(tape, x, 1f / Math.Max(1, x.Size), "Mean");

    private static Tensor Total(Tape tape, Tensor x, float scale, string name)
    {
        var y = tape.Empty(new Shape(1));
        y.Data[0] = Elementwise.Sum(x.Data) * scale;
        if (tape.Wants(x))
        {
            var node = tape.Record<TotalNode>(y);
            node.X = x;
            node.Scale = scale;
        }
        return tape.Produced(y, name);
    }

    /// <summary>
    /// Mean over axis 1 of x[B, L, D] → [B, D]. With a padding mask [B, L] (1 = padding), padded positions
    /// are left out of the mean; a row with no valid position gives zeros.
    /// </summary>
    public static Tensor MeanPool(Tape tape, Tensor x, Tensor? paddingMask = null)
    {
        if (x.Shape.Rank != 3) throw new ArgumentException($"MeanPool: expected [batch, length, features], got {x.Shape}.");
        int b = x.Shape[0], l = x.Shape[1], d = x.Shape[2];
        if (paddingMask is not null && paddingMask.Shape != new Shape(b, l))
            throw new ArgumentException($"MeanPool: padding mask {paddingMask.Shape} does not match input {x.Shape} (expected [{b}, {l}]).");
        var y = tape.Zeros(new Shape(b, d));
        var (weights, wo) = tape.Scratch(b * l);
        var w = weights.AsSpan(wo, b * l);
        for (int i = 0; i < b; i++)
        {
            int valid = 0;
            for (int t = 0; t < l; t++) if (paddingMask is null || paddingMask.Data[i * l + t] == 0f) valid++;
            float share = valid == 0 ? 0f : 1f / valid;
            for (int t = 0; t < l; t++)
                w[i * l + t] = paddingMask is null || paddingMask.Data[i * l + t] == 0f ? share : 0f;
            var yi = y.Data.Slice(i * d, d);
            for (int t = 0; t < l; t++)
                if (w[i * l + t] != 0f) Elementwise.AddScaled(x.Data.Slice((i * l + t) * d, d), w[i * l + t], yi);
        }
        if (tape.Wants(x))
        {
            var node = tape.Record<MeanPoolNode>(y);
            node.X = x;
            node.Weights = weights;
            node.WeightsOffset = wo;
        }
        return tape.Produced(y, "MeanPool");
    }

    private sealed class TotalNode : Node
    {
        public Tensor X = null!;
        public float Scale;
        public override string Name => "Sum";

        internal override void Backward(Tape tape)
        {
            float g = Output.Grad!.Data[0] * Scale;
            var dx = tape.GradOf(X).Data;
            for (int i = 0; i < dx.Length; i++) dx[i] += g;
        }
    }

    private sealed class MeanPoolNode : Node
    {
        public Tensor X = null!;
        public float[] Weights = null!;
        public int WeightsOffset;
        public override string Name => "MeanPool";

        internal override void Backward(Tape tape)
        {
            int b = X.Shape[0], l = X.Shape[1], d = X.Shape[2];
            var dy = Output.Grad!.Data;
            var dx = tape.GradOf(X).Data;
            var w = Weights.AsSpan(WeightsOffset, b * l);
            for (int i = 0; i < b; i++)
                for (int t = 0; t < l; t++)
                    if (w[i * l + t] != 0f) Elementwise.AddScaled(dy.Slice(i * d, d), w[i * l + t], dx.Slice((i * l + t) * d, d));
        }
    }
}
