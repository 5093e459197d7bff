using Peakformer.Learning.Objectives;

namespace Peakformer.Tests.Learning.Objectives;

public class MultiClassObjectiveTests
{
    [Fact]
    public void Score_is_accuracy_and_metric_is_macro_f1_over_every_class()
    {
        var seen = new MultiClassObjective(3).Accumulator();
        // Argmax per row: 0, 1, 1, 0; truth 0, 1, 2, 0. Class 2 is never predicted: precision 0, recall 0, F1 0.
        seen.Add([2, 0, 0, 0, 3, 1, 0, 2, 1, 5, 1, 1], [0, 1, 2, 0]);
        Assert.Equal(0.75, seen.Score, 12);
        // F1: class 0 = 1, class 1 = 2 (1/2)(1) / (1/2 + 1) = 2/3, class 2 = 0; macro (1 + 2/3 + 0) / 3 = 5/9.
        Assert.Equal(5.0 / 9, seen.Metric, 12);
        Assert.Equal(5.0 / 9, seen.Metrics()["macro_f1"], 12);
        Assert.Equal(0.75, seen.Metrics()["accuracy"], 12);
    }

    [Theory]
    [InlineData(1.5f)]
    [InlineData(3f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    public void A_target_that_is_not_a_class_index_is_bad_input(float target)
    {
        var seen = new MultiClassObjective(3).Accumulator();
        var e = Assert.Throws<InputException>(() => seen.Add([0, 0, 1], [target]));
        Assert.Contains("expected a class index in [0, 2]", e.Message);
    }

    [Fact]
    public void Class_weights_must_be_one_per_class()
    {
        Assert.Throws<InputException>(() => new MultiClassObjective(3, [1f, 2f]));
    }
}
