namespace Peakformer.Learning.Metrics;

/// <summary>The predicted class of probability (or logit) rows: the index of the largest value, the first on ties (as NumPy's argmax).</summary>
public static class ArgMax
{
    /// <summary>The index of the largest value (the first on ties).</summary>
    public static int Of(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int c = 1; c < row.Length; c++) if (row[c] > row[best]) best = c;
        return best;
    }

    /// <summary>The argmax of each row of <paramref name="rows"/> [N, <paramref name="classes"/>].</summary>
    public static int[] Rows(float[] rows, int classes)
    {
        var predicted = new int[rows.Length / classes];
        for (int i = 0; i < predicted.Length; i++) predicted[i] = Of(rows.AsSpan(i * classes, classes));
        return predicted;
    }
}
