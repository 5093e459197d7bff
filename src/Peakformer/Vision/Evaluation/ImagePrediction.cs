using Peakformer.Data.Images;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Progress;
using Peakformer.Vision.Data;
using Peakformer.Vision.Models;

namespace Peakformer.Vision.Evaluation;

/// <summary>Class probabilities of every image of a set from a trained Vision Transformer (eval mode, no augmentation).</summary>
public static class ImagePrediction
{
    private const int Batch = 256;

    /// <summary>Softmax probabilities [N, K] in image order, K the model's classes.</summary>
    public static float[] Probabilities(VisionTransformer model, ImageSet set, IProgressReporter progress)
    {
        model.Eval();
        var examples = ImageExamples.All(set);
        int k = model.Config.Classes, size = set.PixelsPerImage;
        var probabilities = new float[(long)set.Count * k];
        var tape = new Tape(gradients: false);
        var targets = new float[Batch];
        var indices = new int[Batch];
        using var task = progress.Start($"{model.Kind}: classifying {set.Count:N0} images", set.Count, examples.Unit);
        for (int start = 0; start < set.Count; start += Batch)
        {
            int n = Math.Min(Batch, set.Count - start);
            tape.Reset();
            var x = tape.Empty(new Shape(n, size));
            for (int i = 0; i < n; i++) indices[i] = start + i;
            examples.Fill(indices.AsSpan(0, n), x.Data, targets.AsSpan(0, n));
            var p = Ops.Softmax(tape, model.Forward(tape, x));
            p.Data.CopyTo(probabilities.AsSpan(start * k, n * k));
            task.Advance(n);
        }
        return probabilities;
    }
}
