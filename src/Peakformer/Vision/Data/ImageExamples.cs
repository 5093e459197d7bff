using Peakformer.Data.Images;
using Peakformer.Engine.Randomness;
using Peakformer.Learning.Training;

namespace Peakformer.Vision.Data;

/// <summary>
/// Images of an <see cref="ImageSet"/> (the given rows) as training examples: input C*H*W normalised floats, target
/// the class index. With augmentation, image r in epoch e is shifted and flipped by draws from
/// <c>Rng.ForStream(Mix(seed, e), r)</c>: the same (seed, epoch, image) gives the same input whatever the batch,
/// order or thread count. The trainer announces each epoch through <see cref="BeginEpoch"/>.
/// </summary>
public sealed class ImageExamples : IExamples
{
    private readonly int[] _rows;
    // Reseeded for every draw (as Rng.ForStream would create one), so a batch fill allocates nothing.
    private readonly Rng _draws = new(0);
    // The map being augmented and one channel of blur scratch, made on the first map fill.
    private float[]? _map;

    public ImageExamples(ImageSet set, int[] rows, ImageAugmentation augmentation, ulong seed)
    {
        augmentation.Validate();
        if (augmentation.Rotate90 && set.Height != set.Width)
            throw InputException.At(set.Source, null, "augmentation rot90", "square maps", $"{set.Height}x{set.Width}");
        if (augmentation.MaxShift >= Math.Min(set.Height, set.Width))
            throw InputException.At(set.Source, null, "augmentation shift", $"fewer pixels than the image's {set.Height}x{set.Width}", augmentation.MaxShift.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (int r in rows)
            if (r < 0 || r >= set.Count) throw new ArgumentOutOfRangeException(nameof(rows), $"ImageExamples: row {r} outside the set's {set.Count} images.");
        (Set, _rows, Augmentation, Seed) = (set, rows, augmentation, seed);
    }

    /// <summary>Every image of the set, as they are (evaluation and prediction).</summary>
    public static ImageExamples All(ImageSet set) => new(set, Enumerable.Range(0, set.Count).ToArray(), ImageAugmentation.None, 0);

    public ImageSet Set { get; }
    public IReadOnlyList<int> Rows => _rows;
    public ImageAugmentation Augmentation { get; }
    public ulong Seed { get; }
    /// <summary>The epoch whose draws <see cref="Fill"/> uses (0 until the trainer announces one).</summary>
    public int Epoch { get; private set; }

    public int Count => _rows.Length;
    public int InputSize => Set.PixelsPerImage;
    public int TargetSize => 1;
    public string Unit => "images";

    public void BeginEpoch(int epoch) => Epoch = epoch;

    /// <summary>The class index of example i.</summary>
    public int Label(int i) => Set.Labels[_rows[i]];

    /// <summary>The shift and mirror drawn for image <paramref name="row"/> of the set in the current epoch (one caller at a time).</summary>
    public (int Dx, int Dy, bool Flip) Draw(int row)
    {
        if (!Augmentation.Enabled) return (0, 0, false);
        var rng = _draws;
        rng.Reseed(Rng.Mix(Rng.Mix(Seed, (ulong)Epoch), (ulong)row));
        int span = 2 * Augmentation.MaxShift + 1;
        int dx = rng.NextInt(span) - Augmentation.MaxShift;
        int dy = rng.NextInt(span) - Augmentation.MaxShift;
        bool flip = Augmentation.HorizontalFlip && (rng.NextUInt64() >> 63) == 1;
        return (dx, dy, flip);
    }

    /// <summary>
    /// The map augmentations drawn for <paramref name="row"/> after <see cref="Draw"/>'s (from the same stream, so an
    /// image augmentation without them draws as before): vertical flip, rot90 k, blur sigma; the noise follows.
    /// </summary>
    public (int Dx, int Dy, bool Flip, bool VerticalFlip, int Rotations, double Blur) DrawMap(int row)
    {
        var (dx, dy, flip) = Draw(row);
        var a = Augmentation;
        bool vflip = a.VerticalFlip && (_draws.NextUInt64() >> 63) == 1;
        int k = a.Rotate90 ? _draws.NextInt(4) : 0;
        double blur = a.Blur > 0 ? _draws.Uniform(0, a.Blur) : 0;
        return (dx, dy, flip, vflip, k, blur);
    }

    public void Fill(ReadOnlySpan<int> indices, Span<float> inputs, Span<float> targets)
    {
        int size = Set.PixelsPerImage;
        for (int i = 0; i < indices.Length; i++)
        {
            int r = _rows[indices[i]];
            var output = inputs.Slice(i * size, size);
            if (Augmentation.MapEnabled)
            {
                var (dx, dy, flip, vflip, k, blur) = DrawMap(r);
                _map ??= new float[size + Set.Height * Set.Width];
                var map = _map.AsSpan(0, size);
                MapTransform.FlipRotate(Set.Image(r), Set.Channels, Set.Height, Set.Width, vflip, k, map);
                MapTransform.Blur(map, Set.Channels, Set.Height, Set.Width, blur, _map.AsSpan(size));
                MapTransform.Noise(map, Augmentation.Noise, _draws);
                ImageTransform.Augment(map, Set.Channels, Set.Height, Set.Width, dx, dy, flip, output);
            }
            else if (Augmentation.Enabled)
            {
                var (dx, dy, flip) = Draw(r);
                ImageTransform.Augment(Set.Image(r), Set.Channels, Set.Height, Set.Width, dx, dy, flip, output);
            }
            else ImageTransform.Normalise(Set.Image(r), output);
            targets[i] = Set.Labels[r];
        }
    }
}
