using Peakformer.Learning.Metrics;

namespace Peakformer.Tests.Learning.Metrics;

public class BinaryConfusionTests
{
    [Fact]
    public void Binary_confusion_counts_at_the_threshold()
    {
        var c = BinaryConfusion.At([0.9f, 0.6f, 0.4f, 0.2f, 0.7f], [1, 0, 1, 0, -1], 0.5);
        Assert.Equal((1L, 1L, 1L, 1L), (c.TruePositives, c.FalsePositives, c.TrueNegatives, c.FalseNegatives));
        Assert.Equal(0.5, c.Precision);
        Assert.Equal(0.5, c.F1);
    }
}
