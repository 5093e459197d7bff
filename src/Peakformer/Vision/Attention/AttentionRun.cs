using Peakformer.Data.Images;
using Peakformer.Engine.Autograd;
using Peakformer.Engine.Tensors;
using Peakformer.Learning.Metrics;
using Peakformer.Vision.Data;
using Peakformer.Vision.Evaluation;
using Peakformer.Vision.Models;

namespace Peakformer.Vision.Attention;

/// <summary>Chosen images of a set through a trained Vision Transformer (eval mode), with their attention maps.</summary>
public static class AttentionRun
{
    private const int Batch = 64;

    /// <summary>The images at <paramref name="indices"/>, in that order; an index outside the set is an error naming both.</summary>
    public static IReadOnlyList<ImageAttention> Of(VisionTransformer model, ImageSet set, IReadOnlyList<int> indices)
    {
        foreach (int i in indices)
            if (i < 0 || i >= set.Count)
                throw new InputException($"--index {i}: outside the {set.Count:N0} images of {set.Source} (0..{set.Count - 1})");
        model.Eval();
        var examples = ImageExamples.All(set);
        var config = model.Config;
        int k = config.Classes, size = set.PixelsPerImage;
        var result = new List<ImageAttention>(indices.Count);
        var tape = new Tape(gradients: false);
        for (int start = 0; start < indices.Count; start += Batch)
        {
            int n = Math.Min(Batch, indices.Count - start);
            var rows = indices.Skip(start).Take(n).ToArray();
            tape.Reset();
            var x = tape.Empty(new Shape(n, size));
            examples.Fill(rows, x.Data, new float[n]);
            var (logits, attention) = model.ForwardWithAttention(tape, x);
            var p = Ops.Softmax(tape, logits).Data;
            for (int b = 0; b < n; b++)
            {
                var row = p.Slice(b * k, k);
                int best = ArgMax.Of(row);
                result.Add(new ImageAttention
                {
                    Index = rows[b],
                    Label = set.Labels[rows[b]],
                    Predicted = best,
                    Probability = row[best],
                    Layers = config.Layers,
                    Heads = config.Heads,
                    Patches = config.Patches,
                    HeadMaps = AttentionMaps.ClassTokenMaps(attention, b),
                    Rollout = AttentionMaps.Rollout(attention, b),
                    Geometry = model.Geometry,
                    ImageSize = config.ImageSize,
                    PatchSize = config.PatchSize,
                });
            }
        }
        return result;
    }
}
