using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Training;
using Peakformer.Progress;
using Peakformer.Spectroscopy.Models;
using Peakformer.Spectroscopy.Spectra;

namespace Peakformer.Spectroscopy.Evaluation;

/// <summary>Class probabilities and saliency of every spectrum of a (prepared) set from a trained spectrum model, in eval mode.</summary>
public static class SpectrumPrediction
{
    private const int Batch = 256;

    /// <summary>Probabilities [N, K] in spectrum order: softmax of the logits, or k-NN's vote shares.</summary>
    public static float[] Probabilities(ITrainable model, int classes, SpectrumSet set, IProgressReporter progress, string label)
    {
        model.Module.Eval();
        var probabilities = new float[(long)set.Count * classes];
        var tape = new Tape(gradients: false);
        using var task = progress.Start($"{label}: classifying {set.Count:N0} spectra", set.Count, "spectra");
        for (int start = 0; start < set.Count; start += Batch)
        {
            int n = Math.Min(Batch, set.Count - start);
            tape.Reset();
            var x = tape.From(set.Values.AsSpan(start * set.Length, n * set.Length), new Shape(n, set.Length));
            var output = model.Forward(tape, x);
            if (output.Shape.Rank != 2 || output.Shape[1] != classes)
                throw new InvalidOperationException($"{label}: expected outputs [{n}, {classes}], got {output.Shape}.");
            var p = model is NearestNeighbours ? output : Ops.Softmax(tape, output);
            p.Data.CopyTo(probabilities.AsSpan(start * classes, n * classes));
            task.Advance(n);
        }
        return probabilities;
    }

    /// <summary>
    /// Saliency over the axis: s_k = mean_i |d z_{i, y_i} / d x_{i,k}|, the gradient of each spectrum's true-class logit
    /// with respect to its points, in eval mode (which bands the model uses). Null for k-NN, which has no gradient.
    /// </summary>
    public static double[]? Saliency(ITrainable model, int classes, SpectrumSet set, IProgressReporter progress, string label)
    {
        if (model is NearestNeighbours) return null;
        model.Module.Eval();
        int length = set.Length;
        var sum = new double[length];
        var tape = new Tape(gradients: true);
        var mask = new float[Batch * classes];
        using var task = progress.Start($"{label}: saliency of {set.Count:N0} spectra", set.Count, "spectra");
        for (int start = 0; start < set.Count; start += Batch)
        {
            int n = Math.Min(Batch, set.Count - start);
            tape.Reset();
            var x = Tensor.FromArray(set.Values.AsSpan(start * length, n * length), new Shape(n, length)).WithGrad();
            var logits = model.Forward(tape, x);
            Array.Clear(mask);
            for (int i = 0; i < n; i++) mask[i * classes + set.Labels[start + i]] = 1;
            // The spectra are independent in eval mode, so one backward of the summed true-class logits gives each its own gradient.
            tape.Backward(Ops.Sum(tape, Ops.Mul(tape, logits, tape.From(mask.AsSpan(0, n * classes), logits.Shape))));
            var g = x.Grad!.Data;
            for (int i = 0; i < n; i++)
                for (int k = 0; k < length; k++) sum[k] += Math.Abs(g[i * length + k]);
            task.Advance(n);
        }
        for (int k = 0; k < length; k++) sum[k] /= Math.Max(1, set.Count);
        return sum;
    }
}
