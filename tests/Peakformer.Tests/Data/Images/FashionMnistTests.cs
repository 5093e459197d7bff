using Xunit.Abstractions;
using Peakformer.Data.Images;

namespace Peakformer.Tests.Data.Images;

/// <summary>The real data set, when Debian's dataset-fashion-mnist is installed (CI may install it); skipped otherwise.</summary>
public class FashionMnistTests(ITestOutputHelper output)
{
    private const string Folder = "/usr/share/datasets/fashion-mnist";

    [Fact]
    public void The_installed_test_split_holds_1000_images_of_each_of_ten_classes()
    {
        if (!Directory.Exists(Folder))
        {
            // xunit 2 has no runtime skip: pass, and say why in the output.
            output.WriteLine($"skipped: {Folder} is absent (apt-get install dataset-fashion-mnist)");
            return;
        }
        var set = ImageSetReader.Read(Folder, ImageSplit.Test);
        Assert.Equal((10_000, 1, 28, 28), (set.Count, set.Channels, set.Height, set.Width));
        Assert.Equal(Enumerable.Repeat(1000, 10), set.ClassCounts());
        Assert.Equal(ImageClassNames.FashionMnist, set.ClassNames);
        Assert.InRange(set.Pixels.Min(), 0f, 0f);
        Assert.InRange(set.Pixels.Max(), 1f, 1f);
        // The first test image is an ankle boot (zalandoresearch/fashion-mnist, t10k label 0 is 9).
        Assert.Equal(9, set.Labels[0]);
    }
}
