namespace Peakformer.Data.Images;

/// <summary>
/// Labelled images in memory: N images of C channels, H rows and W columns, pixels as floats in C order [N, C, H, W]
/// (uint8 files are scaled to [0, 1] by 1/255; float files are taken as stored), one class index per image and the
/// class names (index k names class k).
/// </summary>
public sealed class ImageSet
{
    public ImageSet(int channels, int height, int width, float[] pixels, int[] labels, IReadOnlyList<string> classNames, string source)
    {
        if (channels < 1 || height < 1 || width < 1) throw new ArgumentException($"ImageSet: image size {channels}x{height}x{width} must be positive.");
        if (pixels.Length != (long)labels.Length * channels * height * width)
            throw new ArgumentException($"ImageSet: {pixels.Length} pixels for {labels.Length} images of {channels}x{height}x{width}.");
        foreach (int label in labels)
            if (label < 0 || label >= classNames.Count) throw new ArgumentException($"ImageSet: label {label} outside 0..{classNames.Count - 1}.");
        (Channels, Height, Width, Pixels, Labels, ClassNames, Source) = (channels, height, width, pixels, labels, classNames, source);
    }

    public int Count => Labels.Length;
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public int PixelsPerImage => Channels * Height * Width;
    /// <summary>[N, C, H, W] in C order.</summary>
    public float[] Pixels { get; }
    public int[] Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Classes => ClassNames.Count;
    /// <summary>Where the images came from (file or folder and split), for messages and reports.</summary>
    public string Source { get; }

    /// <summary>Image i as [C, H, W].</summary>
    public ReadOnlySpan<float> Image(int i) => Pixels.AsSpan(i * PixelsPerImage, PixelsPerImage);

    /// <summary>Images per class, indexed by class.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[Classes];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }
}
