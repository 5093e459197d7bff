using Peakformer.Engine.Autograd;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Tests.Support;

/// <summary>
/// Compares backward against central finite differences of L = sum(f(inputs) * r) for a fixed random r.
/// Float32 forward passes limit the accuracy, so the step and tolerances are chosen for float32.
/// </summary>
public static class GradientCheck
{
    public static void Run(Func<Tape, Tensor[], Tensor> f, Tensor[] inputs, double step = 1e-2, double rtol = 2e-2, double atol = 2e-3,
        int maxElementsPerInput = 40, ulong seed = 7)
    {
        foreach (var x in inputs) x.WithGrad();
        var tape = new Tape();
        var y = f(tape, inputs);
        var rng = new Rng(seed);
        var r = Make.Floats(rng, y.Size);
        var weights = tape.From(r, y.Shape);
        var loss = Ops.Sum(tape, Ops.Mul(tape, y, weights));
        foreach (var x in inputs) x.Grad!.Data.Clear();
        tape.Backward(loss);
        var analytic = inputs.Select(x => x.Grad!.ToArray()).ToArray();

        var probe = new Tape(gradients: false);
        double Loss()
        {
            probe.Reset();
            var out_ = f(probe, inputs).Data;
            double s = 0;
            for (int i = 0; i < out_.Length; i++) s += (double)out_[i] * r[i];
            return s;
        }

        for (int k = 0; k < inputs.Length; k++)
        {
            var data = inputs[k].Data;
            int stride = Math.Max(1, data.Length / maxElementsPerInput);
            for (int i = 0; i < data.Length; i += stride)
            {
                float original = data[i];
                data[i] = original + (float)step;
                double plus = Loss();
                data[i] = original - (float)step;
                double minus = Loss();
                data[i] = original;
                double numeric = (plus - minus) / (2 * step);
                double a = analytic[k][i];
                double allowed = atol + rtol * Math.Max(Math.Abs(a), Math.Abs(numeric));
                Assert.True(Math.Abs(a - numeric) <= allowed,
                    $"input {k} element {i}: backward {a:G6}, finite difference {numeric:G6} (allowed {allowed:G3})");
            }
        }
    }
}
