using Peakformer.Learning.Metrics;

namespace Peakformer.Tests.Learning.Metrics;

/// <summary>What the sklearn golden cases do not cover: the edges that are errors, and the zero-division rule spelled out.</summary>
public class ClassificationMetricsTests
{
    [Fact]
    public void A_class_never_predicted_has_precision_zero_not_nan()
    {
        var m = ClassificationMetrics.Of([0, 1, 1], [0, 0, 0]);
        Assert.Equal(0, m.PerClass[1].Precision);
        Assert.Equal(0, m.PerClass[1].F1);
        Assert.Equal(2, m.PerClass[1].Support);
        Assert.Equal(1.0 / 3, m.Accuracy, 15);
    }

    [Fact]
    public void No_examples_is_a_clear_input_error()
    {
        var e = Assert.Throws<InputException>(() => ClassificationMetrics.Of([], []));
        Assert.Equal("classification metrics: no examples (accuracy, precision and recall need at least one)", e.Message);
    }

    [Fact]
    public void A_label_outside_the_given_classes_is_named()
    {
        var e = Assert.Throws<InputException>(() => ClassificationMetrics.Of([0, 1, 2], [0, 1, 1], [0, 1], "validation"));
        Assert.Equal("validation: true label 2 is not one of the classes [0, 1]", e.Message);
    }

    [Fact]
    public void Rows_are_the_true_class_and_columns_the_predicted_class()
    {
        var c = ConfusionMatrix.Of([0, 0, 0, 1], [1, 1, 0, 1]);
        Assert.Equal(2, c[0, 1]);
        Assert.Equal(0, c[1, 0]);
        Assert.Equal(3, c.Support(0));
        Assert.Equal(3, c.Predicted(1));
    }
}
