namespace Peakformer.Evaluation;

/// <summary>
/// One-to-one matching of found peaks to truth peaks within a tolerance (in samples). Both lists sorted ascending;
/// truth peaks are taken in time order and each takes the earliest free found peak within its tolerance. For points
/// on a line with equal tolerances this greedy sweep gives the largest possible number of matches.
/// </summary>
public static class PeakMatching
{
    public static List<(int Truth, int Found)> Match(IReadOnlyList<int> truth, IReadOnlyList<int> found, int tolerance)
    {
        var pairs = new List<(int, int)>();
        int f = 0;
        for (int t = 0; t < truth.Count; t++)
        {
            while (f < found.Count && found[f] < truth[t] - tolerance) f++;
            if (f < found.Count && found[f] <= truth[t] + tolerance)
            {
                pairs.Add((t, f));
                f++;
            }
        }
        return pairs;
    }
}
