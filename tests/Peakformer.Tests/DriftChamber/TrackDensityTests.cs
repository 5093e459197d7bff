using Peakformer.DriftChamber.Physics;
using Peakformer.DriftChamber.Tracks;

namespace Peakformer.Tests.DriftChamber;

/// <summary>dN/dx sums, the truncated mean and the Poisson log-likelihood against values worked out by hand.</summary>
public class TrackDensityTests
{
    private static readonly Track Five = new("t", [10, 3, 7, 12, 5], [1, 1, 1, 1, 1], 2 * 0.139570);

    [Fact]
    public void Sums_are_the_cells_totals()
    {
        Assert.Equal((37.0, 5.0), TrackDensity.Sum(Five));
    }

    [Fact]
    public void Truncation_keeps_the_lowest_fraction_of_cells_and_their_length()
    {
        // 0.8 x 5 = 4 cells: 3, 5, 7, 10 (12 dropped) over 4 cm.
        Assert.Equal((25.0, 4.0, 4), TrackDensity.Truncated(Five, 0.8));
        // 0.5 x 5 = 2.5: floor 2 cells: 3 and 5.
        Assert.Equal((8.0, 2.0, 2), TrackDensity.Truncated(Five, 0.5));
        // At least one cell.
        Assert.Equal((3.0, 1.0, 1), TrackDensity.Truncated(Five, 0.01));
        Assert.Equal((37.0, 5.0, 5), TrackDensity.Truncated(Five, 1));
        // 0.7 x 10 is 7.000000000000001 and 0.3 x 10 is 3.0000000000000004 in doubles: still 7 and 3 cells.
        var ten = new Track("u", Enumerable.Range(1, 10).Select(i => (double)i).ToArray(), Enumerable.Repeat(1.0, 10).ToArray(), null);
        Assert.Equal(7, TrackDensity.Truncated(ten, 0.7).Kept);
        Assert.Equal(3, TrackDensity.Truncated(ten, 0.3).Kept);
    }

    [Fact]
    public void Truncation_ranks_cells_by_density_when_lengths_differ()
    {
        // Densities 10/2 = 5, 6/1 = 6, 4/0.5 = 8: keeping 2 of 3 drops the 4-cluster cell, the smallest count.
        var track = new Track("v", [10, 6, 4], [2, 1, 0.5], null);
        Assert.Equal((16.0, 3.0, 2), TrackDensity.Truncated(track, 0.67));
    }

    [Fact]
    public void Log_likelihood_is_the_Poisson_formula_at_the_tabulated_density()
    {
        // Table points (Delphes TrkUtil::Nclusters): beta*gamma 2 -> 12.98 clusters/cm, 1 -> 18.97.
        const double pion = 0.139570, kaon = 0.493677;
        double p = 2 * pion, length = 3;
        double LnFactorial(int n) => Enumerable.Range(1, n).Sum(i => Math.Log(i));
        double Poisson(int n, double mu) => n * Math.Log(mu) - mu - LnFactorial(n);
        Assert.Equal(Poisson(37, 12.98 * length), TrackDensity.LogLikelihood(37, Particle.Pion, p, length), 8);
        Assert.Equal(Poisson(37, 18.97 * length), TrackDensity.LogLikelihood(37, Particle.Kaon, kaon, length), 8);
        // (8 places: ln n! beyond 20 is Stirling's series, whose next term at n = 37 is about 3e-10.)
        // A fractional count (count model) is rounded: 36.6 -> 37.
        Assert.Equal(Poisson(37, 12.98 * length), TrackDensity.LogLikelihood(36.6, Particle.Pion, p, length), 8);
        Assert.Equal(-12.98 * length, TrackDensity.LogLikelihood(0, Particle.Pion, p, length), 8);
    }

    [Fact]
    public void Efficiency_scales_the_expected_count()
    {
        // Pion at beta*gamma 2: 12.98 clusters/cm over 5 cm, 80% counted: mu = 51.92; ln P(37 | mu) = 37 ln mu - mu - ln 37!.
        double mu = 0.8 * 12.98 * 5, ln37 = Enumerable.Range(1, 37).Sum(i => Math.Log(i));
        Assert.Equal(mu, TrackDensity.Expected(Particle.Pion, 2 * 0.139570, 5, 0.8), 12);
        Assert.Equal(37 * Math.Log(mu) - mu - ln37, TrackDensity.LogLikelihood(37, Particle.Pion, 2 * 0.139570, 5, 0.8), 9);
    }

    private static IEnumerable<CellCount> FourThenBroken()
    {
        for (int e = 0; e < 4; e++) yield return new CellCount("a.npz", e, e);
        throw new InvalidOperationException("read past the first two tracks");
    }

    [Fact]
    public void Consecutive_tracks_stream_out_before_the_counts_end()
    {
        var tally = new TrackAssembly.Tally();
        var first = TrackAssembly.Consecutive(FourThenBroken(), "counts.csv", 2, 1, null, tally).Take(2).ToList();
        Assert.Equal([[0.0, 1], [2.0, 3]], first.Select(t => t.Counts));
        Assert.Equal(4, tally.Cells);
    }
}
