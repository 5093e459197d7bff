using Peakformer.Learning.Objectives;

namespace Peakformer.Tests.Learning.Objectives;

public class ClassWeightsTests
{
    [Fact]
    public void Balanced_weights_are_n_over_k_times_the_class_count()
    {
        // N = 6, K = 3: n = (3, 2, 1) gives w = 6 / (3 n) = (2/3, 1, 2).
        var w = ClassWeights.Balanced([0, 1, 0, 2, 1, 0], 3);
        Assert.Equal([2f / 3, 1f, 2f], w);
    }

    [Fact]
    public void A_class_absent_from_the_labels_is_counted_once_so_its_weight_stays_finite()
    {
        // N = 4, K = 3, n = (3, 1, 0): w = 4 / (3 max(n, 1)) = (4/9, 4/3, 4/3).
        var w = ClassWeights.Balanced([0, 0, 1, 0], 3);
        Assert.Equal([4f / 9, 4f / 3, 4f / 3], w);
    }

    [Fact]
    public void Equal_classes_weigh_one()
    {
        Assert.All(ClassWeights.Balanced([0, 1, 2, 3, 3, 2, 1, 0], 4), w => Assert.Equal(1f, w));
    }

    [Fact]
    public void A_label_outside_the_classes_is_named()
    {
        var e = Assert.Throws<InputException>(() => ClassWeights.Balanced([0, 1, 3], 3));
        Assert.Contains("label 2 is 3", e.Message);
    }
}
