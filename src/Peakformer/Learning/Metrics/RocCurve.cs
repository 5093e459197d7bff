namespace Peakformer.Learning.Metrics;

/// <summary>
/// Receiver operating characteristic of scores against binary labels. The AUC is exact: the Mann-Whitney U
/// statistic with tied scores given their average rank (ties count one half), equal to the trapezoid area under
/// the full ROC.
/// </summary>
public sealed class RocCurve
{
    private RocCurve(double auc, double[] fpr, double[] tpr, double[] thresholds, long positives, long negatives)
    {
        (Auc, FalsePositiveRate, TruePositiveRate, Thresholds, Positives, Negatives) = (auc, fpr, tpr, thresholds, positives, negatives);
    }

    public double Auc { get; }
    /// <summary>ROC points from the strictest threshold to the loosest (one per distinct score).</summary>
    public double[] FalsePositiveRate { get; }
    public double[] TruePositiveRate { get; }
    public double[] Thresholds { get; }
    public long Positives { get; }
    public long Negatives { get; }

    /// <summary>
    /// Labels other than 0 and 1 (e.g. -1, unknown) are left out. A NaN or infinite score is bad input (it has no
    /// rank: NaN is not equal to itself, so it would never leave a block of ties) and is refused with its index.
    /// </summary>
    public static RocCurve Compute(IReadOnlyList<float> scores, IReadOnlyList<sbyte> labels, string source = "ROC")
    {
        if (scores.Count != labels.Count) throw new ArgumentException($"ROC: {scores.Count} scores for {labels.Count} labels.");
        for (int i = 0; i < scores.Count; i++)
            if (!float.IsFinite(scores[i]))
                throw new InputException($"{source}: score {i} of {scores.Count} is {Finite.Describe(scores[i])} (expected a finite score)");
        var order = Enumerable.Range(0, scores.Count).Where(i => labels[i] is 0 or 1).ToArray();
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]));
        long positives = order.LongCount(i => labels[i] == 1), negatives = order.Length - positives;
        if (positives == 0 || negatives == 0)
            throw new InputException($"ROC: needs examples of both classes, found {positives} positive (label 1) and {negatives} negative (label 0); the AUC is not defined for a single class");
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        var thresholds = new List<double> { double.PositiveInfinity };
        long tp = 0, fp = 0;
        double area = 0;
        for (int k = 0; k < order.Length;)
        {
            float s = scores[order[k]];
            long tpTie = 0, fpTie = 0;
            while (k < order.Length && scores[order[k]] == s)
            {
                if (labels[order[k]] == 1) tpTie++; else fpTie++;
                k++;
            }
            // Trapezoid over a block of ties = counting each tied pair as one half.
            area += fpTie * (tp + tpTie / 2.0);
            tp += tpTie;
            fp += fpTie;
            fpr.Add(fp / (double)negatives);
            tpr.Add(tp / (double)positives);
            thresholds.Add(s);
        }
        return new RocCurve(area / ((double)positives * negatives), fpr.ToArray(), tpr.ToArray(), thresholds.ToArray(), positives, negatives);
    }

    /// <summary>Highest true-positive rate among operating points whose false-positive rate is at most the target.</summary>
    public double TruePositiveRateAt(double falsePositiveRate)
    {
        double best = 0;
        for (int i = 0; i < FalsePositiveRate.Length; i++)
            if (FalsePositiveRate[i] <= falsePositiveRate) best = Math.Max(best, TruePositiveRate[i]);
        return best;
    }

    /// <summary>At most about <paramref name="points"/> ROC points for drawing, spaced in log(FPR) and keeping the ends.</summary>
    public (double[] Fpr, double[] Tpr) Thin(int points = 600)
    {
        if (FalsePositiveRate.Length <= points) return (FalsePositiveRate, TruePositiveRate);
        var keep = new SortedSet<int> { 0, FalsePositiveRate.Length - 1 };
        double minLog = Math.Log10(Math.Max(1.0 / Negatives, 1e-7));
        int target = 0;
        for (int i = 0; i < FalsePositiveRate.Length && target < points; i++)
        {
            double f = FalsePositiveRate[i];
            double position = f <= 0 ? 0 : (Math.Log10(f) - minLog) / -minLog * points / 2 + f * points / 2;
            if (position >= target) { keep.Add(i); target = (int)position + 1; }
        }
        return (keep.Select(i => FalsePositiveRate[i]).ToArray(), keep.Select(i => TruePositiveRate[i]).ToArray());
    }
}
