using Peakformer.Engine.Tensors;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>Global average pooling: y[b, c] = mean over l of x[b, c, l] (PyTorch AdaptiveAvgPool1d(1), squeezed).</summary>
    public static Tensor GlobalAvgPool1d(Tape tape, Tensor x)
    {
        if (x.Shape.Rank != 3) throw new ArgumentException($"GlobalAvgPool1d: expected [batch, channels, length], got {x.Shape}.");
        int rows = x.Shape[0] * x.Shape[1], length = x.Shape[2];
        var y = tape.Empty(new Shape(x.Shape[0], x.Shape[1]));
        float scale = 1f / length;
        for (int r = 0; r < rows; r++) y.Data[r] = TensorPrimitives.Sum(x.Data.Slice(r * length, length)) * scale;
        if (tape.Wants(x)) tape.Record<GlobalAvgPoolNode>(y).X = x;
        return tape.Produced(y, "GlobalAvgPool1d");
    }

    private sealed class GlobalAvgPoolNode : Node
    {
        public Tensor X = null!;
        public override string Name => "GlobalAvgPool1d";

        // dx[b, c, l] += dy[b, c] / L
        internal override void Backward(Tape tape)
        {
            int rows = Output.Shape.Size, length = X.Shape[2];
            var dy = Output.Grad!.Data;
            var dx = tape.GradOf(X).Data;
            for (int r = 0; r < rows; r++)
            {
                var row = dx.Slice(r * length, length);
                TensorPrimitives.Add(row, dy[r] / length, row);
            }
        }
    }
}
