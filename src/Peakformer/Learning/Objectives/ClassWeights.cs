namespace Peakformer.Learning.Objectives;

/// <summary>Class weights that make every class pull equally on the loss, whatever its share of the examples.</summary>
public static class ClassWeights
{
    /// <summary>
    /// w_c = N / (K max(n_c, 1)) from the training labels (scikit-learn's "balanced" weights, with a class absent
    /// from the labels counted once so its weight stays finite). A label outside [0, K) is bad input.
    /// </summary>
    public static float[] Balanced(IReadOnlyList<int> labels, int classes, string source = "training labels")
    {
        if (classes < 2) throw new InputException($"{source}: expected at least 2 classes, found {classes}");
        var counts = new long[classes];
        for (int i = 0; i < labels.Count; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
                throw new InputException($"{source}: label {i} is {labels[i]}, expected a class in [0, {classes - 1}]");
            counts[labels[i]]++;
        }
        return counts.Select(n => (float)((double)labels.Count / (classes * (double)Math.Max(n, 1)))).ToArray();
    }
}
