namespace Peakformer.Vision.Data;

/// <summary>
/// What the model sees of an image: shifted and mirrored (for augmentation), then normalised as torchvision's
/// Normalize(mean 0.5, std 0.5), which maps [0, 1] to [-1, 1] (§10 of the TERS reference).
/// </summary>
public static class ImageTransform
{
    public const float Mean = 0.5f;
    public const float Std = 0.5f;

    /// <summary>(x - mean) / std for every pixel.</summary>
    public static void Normalise(ReadOnlySpan<float> image, Span<float> output)
    {
        for (int i = 0; i < image.Length; i++) output[i] = (image[i] - Mean) / Std;
    }

    /// <summary>
    /// image [C, H, W] mirrored left-right when <paramref name="flip"/>, then moved <paramref name="dx"/> pixels right
    /// and <paramref name="dy"/> down (negative: left, up): out[c, y, x] = in'[c, y - dy, x - dx], with 0 (black)
    /// where that falls outside; then normalised.
    /// </summary>
    public static void Augment(ReadOnlySpan<float> image, int channels, int height, int width, int dx, int dy, bool flip, Span<float> output)
    {
        for (int c = 0; c < channels; c++)
        {
            int plane = c * height * width;
            for (int y = 0; y < height; y++)
            {
                int sy = y - dy;
                for (int x = 0; x < width; x++)
                {
                    int sx = x - dx;
                    float v = 0;
                    if (sy >= 0 && sy < height && sx >= 0 && sx < width)
                        v = image[plane + sy * width + (flip ? width - 1 - sx : sx)];
                    output[plane + y * width + x] = (v - Mean) / Std;
                }
            }
        }
    }
}
