using Peakformer.Engine.Kernels;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Autograd;

public static partial class Ops
{
    /// <summary>
    /// One LSTM layer over a whole batch-first sequence, PyTorch's equations and gate order (i, f, g, o):
    /// gates = x W_ih^T + b_ih + h W_hh^T + b_hh; c' = f c + i g; h' = o tanh(c'). Zero initial state.
    /// x[B, T, In], W_ih[4H, In], W_hh[4H, H], biases [4H] → hidden states [B, T, H].
    /// </summary>
    public static Tensor Lstm(Tape tape, Tensor x, Tensor weightIh, Tensor weightHh, Tensor biasIh, Tensor biasHh)
    {
        if (x.Shape.Rank != 3) throw new ArgumentException($"Lstm: expected input [batch, time, features], got {x.Shape}.");
        int b = x.Shape[0], steps = x.Shape[1], input = x.Shape[2];
        int hidden = weightHh.Shape.Rank == 2 ? weightHh.Shape[1] : -1;
        if (weightIh.Shape != new Shape(4 * hidden, input) || weightHh.Shape != new Shape(4 * hidden, hidden)
            || biasIh.Shape != new Shape(4 * hidden) || biasHh.Shape != new Shape(4 * hidden))
            throw new ArgumentException($"Lstm: input {x.Shape} with weight_ih {weightIh.Shape}, weight_hh {weightHh.Shape}, biases {biasIh.Shape}, {biasHh.Shape} (expected [4H, {input}], [4H, H], [4H]).");
        int g4 = 4 * hidden;
        // Saved per step, time-major so each step's rows are contiguous: activated gates, cell state, hidden state.
        var (saved, so) = tape.Scratch(steps * b * (g4 + 2 * hidden));
        var gates = saved.AsSpan(so, steps * b * g4);
        var cells = saved.AsSpan(so + steps * b * g4, steps * b * hidden);
        var hiddens = saved.AsSpan(so + steps * b * (g4 + hidden), steps * b * hidden);
        // Input projection for all steps at once: pre[B, T, 4H].
        var (preBuffer, po) = tape.Scratch(b * steps * g4);
        var pre = preBuffer.AsSpan(po, b * steps * g4);
        Gemm.Multiply(false, true, b * steps, g4, input, x.Data, input, weightIh.Data, input, pre, g4);
        for (int r = 0; r < b * steps; r++)
        {
            var row = pre.Slice(r * g4, g4);
            Elementwise.AddInPlace(biasIh.Data, row);
            Elementwise.AddInPlace(biasHh.Data, row);
        }
        var y = tape.Empty(new Shape(b, steps, hidden));
        for (int t = 0; t < steps; t++)
        {
            var gt = gates.Slice(t * b * g4, b * g4);
            for (int n = 0; n < b; n++) pre.Slice((n * steps + t) * g4, g4).CopyTo(gt.Slice(n * g4, g4));
            if (t > 0) Gemm.Multiply(false, true, b, g4, hidden, hiddens.Slice((t - 1) * b * hidden, b * hidden), hidden, weightHh.Data, hidden, gt, g4, accumulate: true);
            for (int n = 0; n < b; n++)
            {
                var row = gt.Slice(n * g4, g4);
                Elementwise.Map<ActivationFunctions.Sigmoid>(row[..(2 * hidden)], row[..(2 * hidden)]);
                Elementwise.Map<ActivationFunctions.Tanh>(row.Slice(2 * hidden, hidden), row.Slice(2 * hidden, hidden));
                Elementwise.Map<ActivationFunctions.Sigmoid>(row.Slice(3 * hidden, hidden), row.Slice(3 * hidden, hidden));
                var c = cells.Slice((t * b + n) * hidden, hidden);
                var h = hiddens.Slice((t * b + n) * hidden, hidden);
                var cPrev = t > 0 ? cells.Slice(((t - 1) * b + n) * hidden, hidden) : default;
                for (int j = 0; j < hidden; j++)
                {
                    float cj = row[j] * row[2 * hidden + j] + (t > 0 ? row[hidden + j] * cPrev[j] : 0f);
                    c[j] = cj;
                    h[j] = row[3 * hidden + j] * MathF.Tanh(cj);
                }
                h.CopyTo(y.Data.Slice((n * steps + t) * hidden, hidden));
            }
        }
        if (tape.Wants(x, weightIh, weightHh) || biasIh.RequiresGrad || biasHh.RequiresGrad)
        {
            var node = tape.Record<LstmNode>(y);
            node.X = x;
            node.Wih = weightIh;
            node.Whh = weightHh;
            node.Bih = biasIh;
            node.Bhh = biasHh;
            node.Saved = saved;
            node.SavedOffset = so;
        }
        return tape.Produced(y, "Lstm");
    }

    private sealed class LstmNode : Node
    {
        public Tensor X = null!, Wih = null!, Whh = null!, Bih = null!, Bhh = null!;
        public float[] Saved = null!;
        public int SavedOffset;
        public override string Name => "Lstm";

        internal override void Backward(Tape tape)
        {
            int b = X.Shape[0], steps = X.Shape[1], input = X.Shape[2], hidden = Whh.Shape[1], g4 = 4 * hidden;
            var gates = Saved.AsSpan(SavedOffset, steps * b * g4);
            var cells = Saved.AsSpan(SavedOffset + steps * b * g4, steps * b * hidden);
            var hiddens = Saved.AsSpan(SavedOffset + steps * b * (g4 + hidden), steps * b * hidden);
            var (work, wo) = tape.Scratch(b * steps * g4 + 2 * b * hidden, zero: true);
            var dPre = work.AsSpan(wo, b * steps * g4);          // [B, T, 4H], gradients of the pre-activations
            var dhNext = work.AsSpan(wo + b * steps * g4, b * hidden);
            var dcNext = work.AsSpan(wo + b * steps * g4 + b * hidden, b * hidden);
            var (stepBuffer, sbo) = tape.Scratch(b * g4);
            var dGates = stepBuffer.AsSpan(sbo, b * g4);
            var dy = Output.Grad!.Data;
            for (int t = steps - 1; t >= 0; t--)
            {
                var gt = gates.Slice(t * b * g4, b * g4);
                for (int n = 0; n < b; n++)
                {
                    var row = gt.Slice(n * g4, g4);
                    var dRow = dGates.Slice(n * g4, g4);
                    var c = cells.Slice((t * b + n) * hidden, hidden);
                    var dh = dhNext.Slice(n * hidden, hidden);
                    var dc = dcNext.Slice(n * hidden, hidden);
                    var dOut = dy.Slice((n * steps + t) * hidden, hidden);
                    for (int j = 0; j < hidden; j++)
                    {
                        float i = row[j], f = row[hidden + j], g = row[2 * hidden + j], o = row[3 * hidden + j];
                        float tc = MathF.Tanh(c[j]);
                        float dhj = dOut[j] + dh[j];
                        float dcj = dhj * o * (1f - tc * tc) + dc[j];
                        float cPrev = t > 0 ? cells[((t - 1) * b + n) * hidden + j] : 0f;
                        dRow[j] = dcj * g * i * (1f - i);
                        dRow[hidden + j] = dcj * cPrev * f * (1f - f);
                        dRow[2 * hidden + j] = dcj * i * (1f - g * g);
                        dRow[3 * hidden + j] = dhj * tc * o * (1f - o);
                        dc[j] = dcj * f;
                    }
                    dRow.CopyTo(dPre.Slice((n * steps + t) * g4, g4));
                }
                if (t > 0)
                {
                    var hPrev = hiddens.Slice((t - 1) * b * hidden, b * hidden);
                    // dh_{t-1} = dGates W_hh; dW_hh += dGates^T h_{t-1}
                    Gemm.Multiply(false, false, b, hidden, g4, dGates, g4, Whh.Data, hidden, dhNext, hidden);
                    if (Whh.RequiresGrad)
                        Gemm.Multiply(true, false, g4, hidden, b, dGates, g4, hPrev, hidden, tape.GradOf(Whh).Data, hidden, accumulate: true);
                }
            }
            if (X.RequiresGrad)
            {
                var (dx, accumulate) = tape.GradTarget(X);
                Gemm.Multiply(false, false, b * steps, input, g4, dPre, g4, Wih.Data, input, dx.Data, input, accumulate);
            }
            if (Wih.RequiresGrad)
                Gemm.Multiply(true, false, g4, input, b * steps, dPre, g4, X.Data, input, tape.GradOf(Wih).Data, input, accumulate: true);
            if (Bih.RequiresGrad) Elementwise.SumRows(dPre, g4, tape.GradOf(Bih).Data);
            if (Bhh.RequiresGrad) Elementwise.SumRows(dPre, g4, tape.GradOf(Bhh).Data);
        }
    }
}
