namespace Peakformer.Learning.Metrics;

/// <summary>
/// Binary counts at a decision threshold and the figures derived from them (labels other than 0 and 1 are left
/// out). A ratio whose denominator is zero is 0, as scikit-learn's zero_division=0. For more than two classes see
/// <see cref="ConfusionMatrix"/> and <see cref="ClassificationMetrics"/>.
/// </summary>
public sealed record BinaryConfusion(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    public static BinaryConfusion At(IReadOnlyList<float> scores, IReadOnlyList<sbyte> labels, double threshold)
    {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Count; i++)
        {
            if (labels[i] is not (0 or 1)) continue;
            bool predicted = scores[i] >= threshold, actual = labels[i] == 1;
            if (predicted && actual) tp++;
            else if (predicted) fp++;
            else if (actual) fn++;
            else tn++;
        }
        return new BinaryConfusion(tp, fp, tn, fn);
    }

    public long Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Total);
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);
    public double Specificity => Ratio(TrueNegatives, TrueNegatives + FalsePositives);
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    public double BalancedAccuracy => (Recall + Specificity) / 2;

    private static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;
}
