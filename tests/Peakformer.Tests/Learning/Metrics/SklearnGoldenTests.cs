using System.Text.Json;
using Peakformer.Learning.Metrics;
using Peakformer.Tests.Support;
using Xunit.Abstractions;

namespace Peakformer.Tests.Learning.Metrics;

/// <summary>
/// ROC, classification and regression metrics against scikit-learn's on the inputs of Golden/sklearn_metrics.json
/// (written by tools/golden/make_sklearn_golden.py): every double within 1e-12 relative, counts exact. Each test
/// prints its largest relative difference.
/// </summary>
public class SklearnGoldenTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-12;
    private static readonly JsonElement Golden = JsonDocument.Parse(File.ReadAllText(GoldenFiles.Path("sklearn_metrics.json"))).RootElement;
    private double _largest;
    private string _where = "";

    [Fact]
    public void Roc_auc_and_curve_match_sklearn_with_ties()
    {
        foreach (var c in Golden.GetProperty("roc").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            var roc = RocCurve.Compute(Floats(c, "scores").Select(s => (float)s).ToArray(), Ints(c, "labels").Select(l => (sbyte)l).ToArray());
            Close(c.GetProperty("auc").GetDouble(), roc.Auc, $"{name}: auc");
            Equal(Doubles(c, "fpr"), roc.FalsePositiveRate, $"{name}: fpr");
            Equal(Doubles(c, "tpr"), roc.TruePositiveRate, $"{name}: tpr");
            Equal(Doubles(c, "thresholds"), roc.Thresholds[1..], $"{name}: thresholds");
            Assert.Equal(double.PositiveInfinity, roc.Thresholds[0]);
            foreach (var point in c.GetProperty("tpr_at_fpr").EnumerateArray())
                Close(point.GetProperty("tpr").GetDouble(), roc.TruePositiveRateAt(point.GetProperty("fpr").GetDouble()), $"{name}: tpr at fpr {point.GetProperty("fpr")}");
        }
        Report();
    }

    [Fact]
    public void A_single_class_roc_is_a_clear_input_error_where_sklearn_raises()
    {
        var c = Golden.GetProperty("roc_single_class");
        Assert.Contains("Only one class present in y_true", c.GetProperty("sklearn_error").GetString());
        var e = Assert.Throws<InputException>(() =>
            RocCurve.Compute(Floats(c, "scores").Select(s => (float)s).ToArray(), Ints(c, "labels").Select(l => (sbyte)l).ToArray()));
        Assert.Equal("ROC: needs examples of both classes, found 3 positive (label 1) and 0 negative (label 0); the AUC is not defined for a single class", e.Message);
    }

    [Fact]
    public void Classification_metrics_match_sklearn_with_zero_division_zero()
    {
        foreach (var c in Golden.GetProperty("classification").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            int[]? classes = c.GetProperty("given_classes").GetBoolean() ? Ints(c, "classes") : null;
            var m = ClassificationMetrics.Of(Ints(c, "truth"), Ints(c, "predicted"), classes);
            Assert.Equal(Ints(c, "classes"), m.Confusion.Classes);
            Assert.Equal(Ints(c, "classes"), m.PerClass.Select(p => p.Class));
            var confusion = c.GetProperty("confusion").EnumerateArray().Select(row => row.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray();
            Assert.Equal(confusion, m.Confusion.Counts);
            Assert.Equal(Ints(c, "support").Select(s => (long)s), m.PerClass.Select(p => p.Support));
            Close(c.GetProperty("accuracy").GetDouble(), m.Accuracy, $"{name}: accuracy");
            Equal(Doubles(c, "precision"), m.PerClass.Select(p => p.Precision).ToArray(), $"{name}: precision");
            Equal(Doubles(c, "recall"), m.PerClass.Select(p => p.Recall).ToArray(), $"{name}: recall");
            Equal(Doubles(c, "f1"), m.PerClass.Select(p => p.F1).ToArray(), $"{name}: f1");
            var macro = c.GetProperty("macro");
            Close(macro.GetProperty("precision").GetDouble(), m.MacroPrecision, $"{name}: macro precision");
            Close(macro.GetProperty("recall").GetDouble(), m.MacroRecall, $"{name}: macro recall");
            Close(macro.GetProperty("f1").GetDouble(), m.MacroF1, $"{name}: macro F1");
            Close(macro.GetProperty("f1_score").GetDouble(), m.MacroF1, $"{name}: f1_score macro");
            var weighted = c.GetProperty("weighted");
            Close(weighted.GetProperty("precision").GetDouble(), m.WeightedPrecision, $"{name}: weighted precision");
            Close(weighted.GetProperty("recall").GetDouble(), m.WeightedRecall, $"{name}: weighted recall");
            Close(weighted.GetProperty("f1").GetDouble(), m.WeightedF1, $"{name}: weighted F1");
            Close(weighted.GetProperty("f1_score").GetDouble(), m.WeightedF1, $"{name}: f1_score weighted");
        }
        Report();
    }

    [Fact]
    public void Regression_metrics_match_sklearn_and_numpy()
    {
        foreach (var c in Golden.GetProperty("regression").EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            var m = RegressionMetrics.Of(Doubles(c, "predicted"), Doubles(c, "truth"));
            Close(c.GetProperty("mae").GetDouble(), m.Mae, $"{name}: MAE");
            Close(c.GetProperty("mse").GetDouble(), m.Mse, $"{name}: MSE");
            Close(c.GetProperty("bias").GetDouble(), m.Bias, $"{name}: bias");
            Close(c.GetProperty("resolution").GetDouble(), m.Resolution, $"{name}: resolution");
        }
        Report();
    }

    private void Equal(double[] expected, double[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: sklearn has {expected.Length} values, Peakformer {actual.Length}");
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], $"{what}[{i}]");
    }

    /// <summary>Relative difference at most 1e-12 (so a zero must be exactly zero).</summary>
    private void Close(double expected, double actual, string what)
    {
        double scale = Math.Max(Math.Abs(expected), Math.Abs(actual));
        double relative = scale == 0 ? 0 : Math.Abs(expected - actual) / scale;
        if (relative >= _largest) (_largest, _where) = (relative, what);
        Assert.True(relative <= Tolerance, $"{what}: sklearn {expected:R}, Peakformer {actual:R} (relative difference {relative:G3})");
    }

    private void Report() => output.WriteLine($"largest relative difference from sklearn: {_largest:G3} ({_where})");

    private static double[] Doubles(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetDouble()).ToArray();
    private static double[] Floats(JsonElement e, string name) => Doubles(e, name);
    private static int[] Ints(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetInt32()).ToArray();
}
