using System.Text.Json;
using Peakformer.Spectroscopy.Preprocessing;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Spectroscopy;

/// <summary>
/// Preprocessing steps against SciPy and NumPy on the inputs of Golden/spectra_golden.json
/// (tools/golden/make_spectra_golden.py): savgol_filter, the published ALS and airPLS algorithms solved by
/// scipy.sparse, np.trapz / np.linalg.norm normalisations and np.interp.
/// </summary>
public class PreprocessingGoldenTests
{
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path("spectra_golden.json"))).RootElement;

    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    private static double[] Run(ISpectrumStep step, double[] axis, double[] y)
    {
        var output = new double[step.OutputAxis(axis).Length];
        step.Apply(axis, y, output);
        return output;
    }

    private static double[] Index(int n) => Enumerable.Range(0, n).Select(i => (double)i).ToArray();

    private static double MaxDifference(double[] a, double[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    [Fact]
    public void Savitzky_Golay_matches_scipy_savgol_filter_for_every_window_and_order()
    {
        foreach (var c in Golden.GetProperty("savgol").EnumerateArray())
        {
            var y = Doubles(c.GetProperty("y"));
            var step = new SavitzkyGolayStep(c.GetProperty("window").GetInt32(), c.GetProperty("order").GetInt32());
            double difference = MaxDifference(Run(step, Index(y.Length), y), Doubles(c.GetProperty("expected")));
            Assert.True(difference < 1e-5, $"{step.Spec} on {y.Length} points: largest difference {difference:G3}");
        }
    }

    [Fact]
    public void Als_baseline_matches_the_published_algorithm_solved_by_scipy_sparse()
    {
        foreach (var c in Golden.GetProperty("als").EnumerateArray())
        {
            var y = Doubles(c.GetProperty("y"));
            var step = new AlsBaselineStep(c.GetProperty("lambda").GetDouble(), c.GetProperty("p").GetDouble(), c.GetProperty("iterations").GetInt32());
            step.Baseline(y, new double[y.Length], out var baseline);
            double difference = MaxDifference(baseline, Doubles(c.GetProperty("baseline")));
            Assert.True(difference < 1e-7, $"{step.Spec}: largest difference {difference:G3}");
        }
    }

    [Fact]
    public void AirPls_baseline_matches_the_authors_code_solved_by_scipy_sparse()
    {
        foreach (var c in Golden.GetProperty("airpls").EnumerateArray())
        {
            var y = Doubles(c.GetProperty("y"));
            var step = new AirPlsBaselineStep(c.GetProperty("lambda").GetDouble(), c.GetProperty("iterations").GetInt32());
            var corrected = Run(step, Index(y.Length), y);
            var baseline = y.Zip(corrected, (a, b) => a - b).ToArray();
            double difference = MaxDifference(baseline, Doubles(c.GetProperty("baseline")));
            Assert.True(difference < 1e-8, $"{step.Spec}: largest difference {difference:G3}");
        }
    }

    [Theory]
    [InlineData("minmax", NormalisationKind.MinMax)]
    [InlineData("area", NormalisationKind.Area)]
    [InlineData("vector", NormalisationKind.Vector)]
    [InlineData("max", NormalisationKind.Max)]
    public void Normalisations_match_numpy(string name, NormalisationKind kind)
    {
        var c = Golden.GetProperty("normalise");
        var result = Run(new NormaliseStep(kind), Doubles(c.GetProperty("axis")), Doubles(c.GetProperty("y")));
        Assert.True(MaxDifference(result, Doubles(c.GetProperty(name))) < 1e-12);
    }

    [Fact]
    public void Resampling_matches_numpy_interp()
    {
        var c = Golden.GetProperty("resample");
        var step = new ResampleStep(new(c.GetProperty("min").GetDouble(), c.GetProperty("max").GetDouble(), c.GetProperty("points").GetInt32()));
        Assert.True(MaxDifference(Run(step, Doubles(c.GetProperty("axis")), Doubles(c.GetProperty("y"))), Doubles(c.GetProperty("expected"))) < 1e-12);
    }
}
