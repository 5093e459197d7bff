namespace Peakformer.Learning.Metrics;

/// <summary>
/// Counts of examples by true class (rows) and predicted class (columns), as scikit-learn's confusion_matrix:
/// <c>Counts[i][j]</c> is the number of examples of class <c>Classes[i]</c> predicted as <c>Classes[j]</c>.
/// </summary>
public sealed class ConfusionMatrix
{
    private ConfusionMatrix(int[] classes, long[][] counts) => (Classes, Counts) = (classes, counts);

    /// <summary>The class labels, in the order of the rows and columns.</summary>
    public int[] Classes { get; }
    public long[][] Counts { get; }

    /// <summary>Examples of class <c>Classes[row]</c> predicted as <c>Classes[column]</c>.</summary>
    public long this[int row, int column] => Counts[row][column];

    /// <summary>
    /// The classes are <paramref name="classes"/> when given (e.g. to keep a class that neither side holds), or else
    /// every label found in the truth or the predictions, ascending. A label outside the given classes is bad input.
    /// </summary>
    public static ConfusionMatrix Of(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<int>? classes = null, string source = "confusion matrix")
    {
        if (truth.Count != predicted.Count) throw new ArgumentException($"{source}: {truth.Count} true labels for {predicted.Count} predictions.");
        int[] labels = classes is null ? truth.Concat(predicted).Distinct().Order().ToArray() : classes.ToArray();
        if (labels.Distinct().Count() != labels.Length) throw new ArgumentException($"{source}: the classes [{string.Join(", ", labels)}] repeat a class.");
        var index = new Dictionary<int, int>(labels.Length);
        for (int k = 0; k < labels.Length; k++) index[labels[k]] = k;
        var counts = Enumerable.Range(0, labels.Length).Select(_ => new long[labels.Length]).ToArray();
        for (int i = 0; i < truth.Count; i++)
            counts[Index(truth[i], "true label")][Index(predicted[i], "prediction")]++;
        return new ConfusionMatrix(labels, counts);

        int Index(int label, string what) => index.TryGetValue(label, out int k) ? k
            : throw new InputException($"{source}: {what} {label} is not one of the classes [{string.Join(", ", labels)}]");
    }

    public long Total => Counts.Sum(row => row.Sum());
    /// <summary>Examples whose true class is <c>Classes[k]</c> (row sum).</summary>
    public long Support(int k) => Counts[k].Sum();
    /// <summary>Examples predicted as <c>Classes[k]</c> (column sum).</summary>
    public long Predicted(int k) => Counts.Sum(row => row[k]);
}
