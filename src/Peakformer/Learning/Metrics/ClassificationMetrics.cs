namespace Peakformer.Learning.Metrics;

/// <summary>
/// Multi-class metrics of predicted labels against true ones, as scikit-learn's accuracy_score,
/// precision_recall_fscore_support and f1_score with <c>zero_division=0</c>:
/// <list type="bullet">
/// <item>per class: precision tp / (tp + fp), recall tp / (tp + fn), F1 2PR / (P + R), support tp + fn;</item>
/// <item>zero division: a ratio whose denominator is zero is 0 (sklearn's zero_division=0), never NaN. A class
/// never predicted has precision 0; a class absent from the truth has recall 0 and support 0; F1 is 0 when
/// P + R is 0;</item>
/// <item>macro: the plain mean over every class, including one found only in the predictions (as sklearn);</item>
/// <item>weighted: the mean weighted by support (0 if no class has support).</item>
/// </list>
/// A single class is allowed (its figures follow the same rules); no examples at all is bad input.
/// </summary>
public sealed class ClassificationMetrics
{
    private ClassificationMetrics(ConfusionMatrix confusion, double accuracy, ClassMetrics[] perClass)
    {
        (Confusion, Accuracy, PerClass) = (confusion, accuracy, perClass);
        MacroPrecision = perClass.Average(c => c.Precision);
        MacroRecall = perClass.Average(c => c.Recall);
        MacroF1 = perClass.Average(c => c.F1);
        long support = perClass.Sum(c => c.Support);
        WeightedPrecision = Weighted(c => c.Precision);
        WeightedRecall = Weighted(c => c.Recall);
        WeightedF1 = Weighted(c => c.F1);

        double Weighted(Func<ClassMetrics, double> value) => support == 0 ? 0 : perClass.Sum(c => value(c) * c.Support) / support;
    }

    /// <summary>Rows the true class, columns the predicted class.</summary>
    public ConfusionMatrix Confusion { get; }
    public long N => Confusion.Total;
    /// <summary>Fraction of examples predicted correctly.</summary>
    public double Accuracy { get; }
    /// <summary>One entry per class, in the order of <c>Confusion.Classes</c>.</summary>
    public ClassMetrics[] PerClass { get; }
    public double MacroPrecision { get; }
    public double MacroRecall { get; }
    public double MacroF1 { get; }
    public double WeightedPrecision { get; }
    public double WeightedRecall { get; }
    public double WeightedF1 { get; }

    /// <summary>
    /// Classes as for <see cref="ConfusionMatrix.Of"/>: the given ones, or every label of the truth or the
    /// predictions, ascending.
    /// </summary>
    public static ClassificationMetrics Of(IReadOnlyList<int> truth, IReadOnlyList<int> predicted, IReadOnlyList<int>? classes = null,
        string source = "classification metrics")
    {
        if (truth.Count == 0 && predicted.Count == 0) throw new InputException($"{source}: no examples (accuracy, precision and recall need at least one)");
        var m = ConfusionMatrix.Of(truth, predicted, classes, source);
        int k = m.Classes.Length;
        long correct = 0;
        var perClass = new ClassMetrics[k];
        for (int c = 0; c < k; c++)
        {
            long tp = m[c, c], support = m.Support(c), predictedAs = m.Predicted(c);
            correct += tp;
            double precision = Ratio(tp, predictedAs), recall = Ratio(tp, support);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass[c] = new ClassMetrics(m.Classes[c], precision, recall, f1, support);
        }
        return new ClassificationMetrics(m, Ratio(correct, m.Total), perClass);
    }

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;
}
