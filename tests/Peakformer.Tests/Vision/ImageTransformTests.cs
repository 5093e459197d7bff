using Peakformer.Vision.Data;

namespace Peakformer.Tests.Vision;

public class ImageTransformTests
{
    // A 1x3x3 image with pixels a..i = 0.1 .. 0.9, normalised by hand: (v - 0.5) / 0.5.
    private static readonly float[] Image = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f];
    private static float N(float v) => (v - 0.5f) / 0.5f;
    private const float Pad = -1f; // black (0) after normalisation

    [Fact]
    public void Normalisation_maps_the_unit_range_onto_minus_one_to_one()
    {
        var output = new float[3];
        ImageTransform.Normalise([0f, 1f, 0.25f], output);
        Assert.Equal([-1f, 1f, -0.5f], output);
    }

    [Fact]
    public void A_shift_moves_pixels_and_pads_with_black()
    {
        var output = new float[9];
        // One right, one up: out[y, x] = in[y + 1, x - 1].
        ImageTransform.Augment(Image, 1, 3, 3, dx: 1, dy: -1, flip: false, output);
        Assert.Equal([Pad, N(0.4f), N(0.5f),
                      Pad, N(0.7f), N(0.8f),
                      Pad, Pad, Pad], output);
        // Two left, none vertically: only the last column of the input survives, in the first column.
        ImageTransform.Augment(Image, 1, 3, 3, dx: -2, dy: 0, flip: false, output);
        Assert.Equal([N(0.3f), Pad, Pad,
                      N(0.6f), Pad, Pad,
                      N(0.9f), Pad, Pad], output);
    }

    [Fact]
    public void A_flip_mirrors_each_row_before_the_shift()
    {
        var output = new float[9];
        ImageTransform.Augment(Image, 1, 3, 3, dx: 0, dy: 0, flip: true, output);
        Assert.Equal([N(0.3f), N(0.2f), N(0.1f),
                      N(0.6f), N(0.5f), N(0.4f),
                      N(0.9f), N(0.8f), N(0.7f)], output);
        // Mirrored, then one down.
        ImageTransform.Augment(Image, 1, 3, 3, dx: 0, dy: 1, flip: true, output);
        Assert.Equal([Pad, Pad, Pad,
                      N(0.3f), N(0.2f), N(0.1f),
                      N(0.6f), N(0.5f), N(0.4f)], output);
    }

    [Fact]
    public void Every_channel_moves_the_same_way()
    {
        // Two channels of 1x2: [1, 0] and [0.5, 0.25]; one right.
        var output = new float[4];
        ImageTransform.Augment([1f, 0f, 0.5f, 0.25f], 2, 1, 2, dx: 1, dy: 0, flip: false, output);
        Assert.Equal([Pad, 1f, Pad, 0f], output);
    }
}
