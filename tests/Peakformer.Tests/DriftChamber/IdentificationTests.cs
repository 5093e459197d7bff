using Peakformer.DriftChamber.Identification;
using Peakformer.DriftChamber.Physics;
using Peakformer.Progress;

namespace Peakformer.Tests.DriftChamber;

/// <summary>Separation power, the ideal Poisson expectation and the PID study at truth level.</summary>
public class IdentificationTests
{
    [Theory]
    // docs/SIMULATION.md: ideal Poisson S for pi/K over 1.65 m, quoted to one decimal.
    [InlineData(2, 5.1)]
    [InlineData(5, 6.8)]
    [InlineData(10, 6.3)]
    [InlineData(20, 4.5)]
    [InlineData(30, 3.2)]
    [InlineData(50, 1.4)]
    public void Ideal_poisson_separation_reproduces_the_published_table(double momentum, double published) =>
        Assert.InRange(Separation.IdealPoisson(Particle.Pion, Particle.Kaon, momentum, 165), published - 0.06, published + 0.06);

    [Fact]
    public void Separation_is_the_mean_difference_over_the_mean_spread()
    {
        var (mean, sigma) = Separation.Moments([1, 2, 3, 4]);
        Assert.Equal(2.5, mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), sigma, 12);
        Assert.Equal(4.0, Separation.Power(10, 1, 2, 3), 12);
        Assert.Equal(4.0, Separation.Power(2, 3, 10, 1), 12);
        Assert.True(double.IsNaN(Separation.Power(1, 0, 2, 0)));
        Assert.Throws<ArgumentException>(() => Separation.Moments([1]));
    }

    private static PidSettings Small(params string[] methods) => new()
    {
        MomentaGeV = [5, 30],
        Tracks = 400,
        Cells = 100,
        Pool = 1500,
        Replicas = 12,
        Methods = methods,
        Seed = 3,
    };

    [Fact]
    public void Truth_counting_separates_as_the_ideal_poisson_expectation_and_clusterisation_loses_some()
    {
        var r = PidStudy.Run(Small("truth", "truth-peaks"), new NullProgress());
        Assert.Equal(100 * r.CellLengthCm, r.TrackLengthCm, 9);
        Assert.InRange(r.CellLengthCm, 0.9, 1.2);
        var truth = r.Methods[0].Points;
        var peaks = r.Methods[1].Points;
        for (int i = 0; i < truth.Count; i++)
        {
            double s = truth[i].Separation!.Value, ideal = truth[i].IdealSeparation;
            Assert.True(truth[i].SeparationError > 0 && truth[i].SeparationError < 0.1 * ideal, $"error {truth[i].SeparationError}");
            Assert.True(Math.Abs(s - ideal) < 3 * truth[i].SeparationError, $"{truth[i].MomentumGeV} GeV/c: S {s:F3} against ideal {ideal:F3} ± {truth[i].SeparationError:F3}");
            // Poisson: the spread is the square root of the mean.
            Assert.InRange(truth[i].SigmaA / Math.Sqrt(truth[i].MeanA), 0.85, 1.15);
            Assert.True(peaks[i].Separation < s, "clusterising truth peaks merges and splits clusters, which costs separation");
        }
        Assert.Contains(r.Comparisons, c => c.Method == "truth" && c.Reference == "ideal Poisson");
        Assert.Equal(2, r.Distributions.Count);
        Assert.Equal(5, r.Distributions[0].MomentumGeV);
        Assert.Equal(400, r.Distributions[0].CountsA.Sum());
    }

    [Fact]
    public void The_same_seed_gives_the_same_study()
    {
        var a = PidStudy.Run(Small("truth", "deriv") with { Replicas = 3, MomentaGeV = [10] }, new NullProgress());
        var b = PidStudy.Run(Small("truth", "deriv") with { Replicas = 3, MomentaGeV = [10] }, new NullProgress());
        Assert.Equal(a.Methods.SelectMany(m => m.Points), b.Methods.SelectMany(m => m.Points));
    }
}
