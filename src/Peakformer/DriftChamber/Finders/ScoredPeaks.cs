namespace Peakformer.DriftChamber.Finders;

/// <summary>
/// Candidate peaks of one waveform with scores (signal probabilities), after non-maximum suppression: a candidate is
/// dropped when a higher-scored one lies within the minimum separation. Thresholding afterwards gives the same peaks
/// as suppressing at that threshold, so one scoring pass serves every operating point.
/// </summary>
public sealed class ScoredPeaks(int[] samples, float[] scores)
{
    public int[] Samples { get; } = samples;
    public float[] Scores { get; } = scores;

    public int[] Above(double threshold)
    {
        var kept = new List<int>();
        for (int i = 0; i < Samples.Length; i++) if (Scores[i] >= threshold) kept.Add(Samples[i]);
        return kept.ToArray();
    }

    public static ScoredPeaks Suppress(IReadOnlyList<int> samples, IReadOnlyList<float> scores, int minSeparation)
    {
        var order = Enumerable.Range(0, samples.Count).OrderByDescending(i => scores[i]).ThenBy(i => samples[i]).ToArray();
        var kept = new List<int>();
        var taken = new SortedSet<int>();
        foreach (int i in order)
        {
            int s = samples[i];
            if (taken.GetViewBetween(s - minSeparation, s + minSeparation).Count > 0) continue;
            taken.Add(s);
            kept.Add(i);
        }
        kept.Sort((a, b) => samples[a].CompareTo(samples[b]));
        return new ScoredPeaks(kept.Select(i => samples[i]).ToArray(), kept.Select(i => scores[i]).ToArray());
    }
}
