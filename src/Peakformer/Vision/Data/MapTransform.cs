using Peakformer.Engine.Randomness;

namespace Peakformer.Vision.Data;

/// <summary>
/// The map augmentations of ters-ml-math-reference.md §2 and §10 on an image [C, H, W] in pixel space ([0, 1]):
/// a vertical flip I'(x, y) = I(H - 1 - x, y) (x the row), rot90 k times counter-clockwise (NumPy's rot90 on the
/// last two axes), a separable Gaussian blur I' = (I * k) * k^T with k[n] = exp(-n^2 / (2 sigma_b^2)) / Z over
/// |n| &lt;= int(3 sigma_b + 0.5) and mirrored borders (SciPy's gaussian_filter1d, mode "mirror", truncate 3), and
/// pixel noise clip(x + eps, 0, 1).
/// </summary>
public static class MapTransform
{
    /// <summary>image flipped top-bottom when <paramref name="flip"/>, then rotated by k * 90 degrees, into output (square maps for odd k).</summary>
    public static void FlipRotate(ReadOnlySpan<float> image, int channels, int height, int width, bool flip, int k, Span<float> output)
    {
        k &= 3;
        if ((k & 1) == 1 && height != width) throw new ArgumentException($"MapTransform: rot90 of a {height}x{width} map needs a square map.");
        int plane = height * width;
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                {
                    // Output (i, j) reads the (flipped) input at (si, sj): rot90 once is out[i, j] = in[j, W - 1 - i].
                    var (si, sj) = k switch
                    {
                        0 => (i, j),
                        1 => (j, width - 1 - i),
                        2 => (height - 1 - i, width - 1 - j),
                        _ => (height - 1 - j, i),
                    };
                    if (flip) si = height - 1 - si;
                    output[c * plane + i * width + j] = image[c * plane + si * width + sj];
                }
    }

    /// <summary>The blur's kernel radius for sigma_b (SciPy's int(truncate * sigma + 0.5), truncate 3).</summary>
    public static int Radius(double sigma) => (int)(3 * sigma + 0.5);

    /// <summary>Blurs every channel of <paramref name="image"/> [C, H, W] in place with sigma_b (nothing below 0.05 pixels); <paramref name="scratch"/> holds one channel.</summary>
    public static void Blur(Span<float> image, int channels, int height, int width, double sigma, Span<float> scratch)
    {
        if (sigma < 0.05) return;
        int radius = Radius(sigma);
        Span<double> kernel = stackalloc double[2 * radius + 1];
        double sum = 0;
        for (int n = -radius; n <= radius; n++) sum += kernel[n + radius] = Math.Exp(-n * n / (2 * sigma * sigma));
        for (int n = 0; n < kernel.Length; n++) kernel[n] /= sum;
        int plane = height * width;
        for (int c = 0; c < channels; c++)
        {
            var p = image.Slice(c * plane, plane);
            // Rows (along y), then columns (along x).
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                {
                    double v = 0;
                    for (int n = -radius; n <= radius; n++) v += kernel[n + radius] * p[i * width + Mirror(j + n, width)];
                    scratch[i * width + j] = (float)v;
                }
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                {
                    double v = 0;
                    for (int n = -radius; n <= radius; n++) v += kernel[n + radius] * scratch[Mirror(i + n, height) * width + j];
                    p[i * width + j] = (float)v;
                }
        }
    }

    /// <summary>clip(x + eps, 0, 1) with eps ~ N(0, sigma^2) drawn from <paramref name="rng"/> in pixel order.</summary>
    public static void Noise(Span<float> image, double sigma, Rng rng)
    {
        if (sigma <= 0) return;
        for (int i = 0; i < image.Length; i++) image[i] = (float)Math.Clamp(image[i] + sigma * rng.NextNormal(), 0, 1);
    }

    /// <summary>Index n of a line of <paramref name="length"/> points reflected about the end points (d c b | a b c d | c b a).</summary>
    public static int Mirror(int n, int length)
    {
        if (length == 1) return 0;
        int period = 2 * (length - 1);
        n %= period;
        if (n < 0) n += period;
        return n < length ? n : period - n;
    }
}
