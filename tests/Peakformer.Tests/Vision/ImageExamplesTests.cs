using Peakformer.Data.Images;
using Peakformer.Vision.Data;

namespace Peakformer.Tests.Vision;

public class ImageExamplesTests
{
    /// <summary>n images of 1x5x5, pixel (i, p) = ((7 i + p) mod 11) / 10, labels i mod classes.</summary>
    private static ImageSet Set(int n, int classes = 3)
    {
        var pixels = new float[n * 25];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (7 * (i / 25) + i % 25) % 11 / 10f;
        return new ImageSet(1, 5, 5, pixels, Enumerable.Range(0, n).Select(i => i % classes).ToArray(),
                            ImageClassNames.Numbered(classes), "test");
    }

    [Fact]
    public void Without_augmentation_an_example_is_the_normalised_image_and_its_class()
    {
        var set = Set(4);
        var examples = ImageExamples.All(set);
        Assert.Equal((4, 25, 1), (examples.Count, examples.InputSize, examples.TargetSize));
        var inputs = new float[50];
        var targets = new float[2];
        examples.Fill([3, 1], inputs, targets);
        Assert.Equal([0f, 1f], targets);
        for (int p = 0; p < 25; p++)
        {
            Assert.Equal((set.Image(3)[p] - 0.5f) / 0.5f, inputs[p]);
            Assert.Equal((set.Image(1)[p] - 0.5f) / 0.5f, inputs[25 + p]);
        }
    }

    [Fact]
    public void An_augmented_example_is_its_image_moved_by_the_drawn_offsets()
    {
        var set = Set(6);
        var examples = new ImageExamples(set, [5, 2, 0], new ImageAugmentation(MaxShift: 2, HorizontalFlip: true), seed: 11);
        examples.BeginEpoch(3);
        var inputs = new float[75];
        examples.Fill([0, 1, 2], inputs, new float[3]);
        int[] rows = [5, 2, 0];
        for (int i = 0; i < 3; i++)
        {
            var (dx, dy, flip) = examples.Draw(rows[i]);
            for (int y = 0; y < 5; y++)
                for (int x = 0; x < 5; x++)
                {
                    int sy = y - dy, sx = x - dx;
                    float v = sy is >= 0 and < 5 && sx is >= 0 and < 5 ? set.Image(rows[i])[sy * 5 + (flip ? 4 - sx : sx)] : 0f;
                    Assert.Equal((v - 0.5f) / 0.5f, inputs[i * 25 + y * 5 + x]);
                }
        }
    }

    [Fact]
    public void Draws_depend_on_seed_epoch_and_image_only()
    {
        var set = Set(40);
        var augmentation = new ImageAugmentation(MaxShift: 2, HorizontalFlip: true);
        var all = Enumerable.Range(0, 40).ToArray();
        var a = new ImageExamples(set, all, augmentation, seed: 5);
        var b = new ImageExamples(set, all, augmentation, seed: 5);
        a.BeginEpoch(2);
        b.BeginEpoch(2);

        // Same seed and epoch: the same inputs, whether asked for as one batch in order or one by one backwards.
        var whole = new float[40 * 25];
        a.Fill(all, whole, new float[40]);
        var single = new float[25];
        for (int i = 39; i >= 0; i--)
        {
            b.Fill([i], single, new float[1]);
            Assert.Equal(whole.AsSpan(i * 25, 25).ToArray(), single);
        }

        var draws = all.Select(a.Draw).ToArray();
        Assert.All(draws, d => Assert.InRange(d.Dx, -2, 2));
        Assert.All(draws, d => Assert.InRange(d.Dy, -2, 2));
        Assert.Contains(draws, d => d.Flip);
        Assert.Contains(draws, d => !d.Flip);
        Assert.True(draws.Select(d => d.Dx).Distinct().Count() >= 4);

        b.BeginEpoch(3);
        Assert.NotEqual(draws, all.Select(b.Draw).ToArray());
        var c = new ImageExamples(set, all, augmentation, seed: 6);
        c.BeginEpoch(2);
        Assert.NotEqual(draws, all.Select(c.Draw).ToArray());
    }

    [Fact]
    public void Flips_happen_only_when_enabled()
    {
        var set = Set(50);
        var examples = new ImageExamples(set, Enumerable.Range(0, 50).ToArray(), new ImageAugmentation(MaxShift: 1), seed: 1);
        examples.BeginEpoch(1);
        Assert.DoesNotContain(Enumerable.Range(0, 50).Select(examples.Draw), d => d.Flip);
    }

    [Fact]
    public void A_shift_as_large_as_the_image_is_refused()
    {
        var e = Assert.Throws<InputException>(() => new ImageExamples(Set(2), [0], new ImageAugmentation(MaxShift: 5), 0));
        Assert.Equal("test: augmentation shift: expected fewer pixels than the image's 5x5, found 5", e.Message);
        e = Assert.Throws<InputException>(() => new ImageAugmentation(MaxShift: -1).Validate());
        Assert.Equal("augmentation shift: expected 0 to 64 pixels, found -1", e.Message);
    }

    [Fact]
    public void The_split_keeps_class_proportions_and_augments_only_training()
    {
        var set = Set(300, classes: 3);
        var (train, validation) = ImageTrainingData.Split(set, 0.2, new ImageAugmentation(MaxShift: 2), seed: 9);
        Assert.Equal(240, train.Count);
        Assert.Equal(60, validation.Count);
        for (int k = 0; k < 3; k++)
            Assert.Equal(20, Enumerable.Range(0, validation.Count).Count(i => validation.Label(i) == k));
        Assert.Empty(train.Rows.Intersect(validation.Rows));
        Assert.True(train.Augmentation.Enabled);
        Assert.False(validation.Augmentation.Enabled);
    }
}
