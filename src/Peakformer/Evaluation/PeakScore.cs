namespace Peakformer.Evaluation;

/// <summary>
/// Peak-finding figures of one finder over many waveforms: efficiency (matched truth peaks / truth peaks), purity
/// (matched found peaks / found peaks), F1, time residuals of matched peaks, and efficiency against local pile-up
/// (the number of other truth peaks within <see cref="PileUpWindow"/> samples).
/// </summary>
public sealed class PeakScore
{
    public const int PileUpWindow = 10;
    public static readonly string[] PileUpBins = ["0", "1", "2", "3", "4-5", "6+"];

    private readonly List<double> _residualsNs = [];

    public long Truth { get; private set; }
    public long Found { get; private set; }
    public long Matched { get; private set; }
    public long[] TruthByPileUp { get; } = new long[PileUpBins.Length];
    public long[] MatchedByPileUp { get; } = new long[PileUpBins.Length];

    public double Efficiency => Truth == 0 ? 0 : (double)Matched / Truth;
    /// <summary>Undefined (NaN) when nothing was found.</summary>
    public double Purity => Found == 0 ? double.NaN : (double)Matched / Found;
    public double F1 => Found == 0 || Efficiency + Purity == 0 ? 0 : 2 * Efficiency * Purity / (Efficiency + Purity);
    public IReadOnlyList<double> ResidualsNs => _residualsNs;
    public double ResidualMeanNs => _residualsNs.Count == 0 ? 0 : _residualsNs.Average();
    public double ResidualRmsNs => _residualsNs.Count == 0 ? 0 : Math.Sqrt(_residualsNs.Average(r => (r - ResidualMeanNs) * (r - ResidualMeanNs)));

    public double EfficiencyInPileUpBin(int bin) => TruthByPileUp[bin] == 0 ? double.NaN : (double)MatchedByPileUp[bin] / TruthByPileUp[bin];

    public static int PileUpBin(int neighbours) => neighbours switch { <= 3 => neighbours, <= 5 => 4, _ => 5 };

    /// <summary>Adds one waveform: truth peak samples (sorted) and found peak samples (sorted).</summary>
    public void Add(IReadOnlyList<int> truth, IReadOnlyList<int> found, int tolerance, double samplingNs, bool keepResiduals = true)
    {
        var pairs = PeakMatching.Match(truth, found, tolerance);
        Truth += truth.Count;
        Found += found.Count;
        Matched += pairs.Count;
        var matchedTruth = new bool[truth.Count];
        foreach (var (t, f) in pairs)
        {
            matchedTruth[t] = true;
            if (keepResiduals) _residualsNs.Add((found[f] - truth[t]) * samplingNs);
        }
        int lo = 0, hi = 0;
        for (int t = 0; t < truth.Count; t++)
        {
            while (truth[lo] < truth[t] - PileUpWindow) lo++;
            while (hi + 1 < truth.Count && truth[hi + 1] <= truth[t] + PileUpWindow) hi++;
            int bin = PileUpBin(hi - lo);
            TruthByPileUp[bin]++;
            if (matchedTruth[t]) MatchedByPileUp[bin]++;
        }
    }
}
