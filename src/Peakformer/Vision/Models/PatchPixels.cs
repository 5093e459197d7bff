namespace Peakformer.Vision.Models;

/// <summary>
/// Which patch (token 1 + k) covers each pixel of an image, for both <see cref="PatchGeometry"/>s: the one home of the
/// token-to-pixel mapping that attention maps and figures use. Square: patch k is the P x P block in row k / (W / P),
/// column k % (W / P). Raster: patch k is raster pixels k * P * P .. (k + 1) * P * P - 1 of every channel.
/// </summary>
public static class PatchPixels
{
    /// <summary>The patch index (0-based, class token excluded) of pixel (y, x) in a size x size image.</summary>
    public static int PatchOf(PatchGeometry geometry, int size, int patch, int y, int x) => geometry == PatchGeometry.Square
        ? y / patch * (size / patch) + x / patch
        : (y * size + x) / (patch * patch);

    /// <summary>A map over the patches [S] as a map over the pixels [size * size] (rows of the image in order).</summary>
    public static float[] Upsample(PatchGeometry geometry, int size, int patch, ReadOnlySpan<float> patches)
    {
        int expected = size / patch * (size / patch);
        if (patches.Length != expected) throw new ArgumentException($"PatchPixels: {patches.Length} patch values for {expected} patches.");
        var pixels = new float[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) pixels[y * size + x] = patches[PatchOf(geometry, size, patch, y, x)];
        return pixels;
    }
}
