using Peakformer.Data.Npy;
using Peakformer.Engine.Tensors;

namespace Peakformer.Data.Images;

/// <summary>
/// Reads labelled images from a path: a folder in MNIST / Fashion-MNIST layout (train-images-idx3-ubyte[.gz],
/// train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]; the split chooses
/// train- or t10k-), an images IDX file (its labels file found by name: images-idx3 -> labels-idx1), or an .npz
/// holding "images" [N, H, W] or [N, C, H, W] (uint8 or float32/float64) and "labels" [N] (integers), or Keras's
/// x_train, y_train, x_test, y_test (the split chooses), or a TERS map set as <c>simulate --domain ters</c> writes it:
/// "maps" [N, C, H, W], "y" [N] and "class_names" (one set: both splits read all of it). An optional "classes" array (strings) or a classes.txt
/// beside the data names the classes (<see cref="ImageClassNames"/>).
/// </summary>
public static class ImageSetReader
{
    /// <summary>Most pixels (N * C * H * W) read into one set: 2 GiB of floats.</summary>
    public const long MaxPixels = 1L << 29;

    private static readonly string[] Suffixes = ["", ".gz"];

    public static ImageSet Read(string path, ImageSplit split)
    {
        if (Directory.Exists(path)) return ReadFolder(path, split);
        if (!File.Exists(path)) throw new InputException($"{path}: expected an image folder, IDX file or .npz, found nothing at that path");
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)) return ReadNpz(path, split);
        string name = Path.GetFileName(path);
        foreach (var (images, labels) in new[] { ("images-idx3", "labels-idx1"), ("images.idx3", "labels.idx1") })
        {
            int at = name.IndexOf(images, StringComparison.Ordinal);
            if (at < 0) continue;
            string labelPath = Path.Combine(Path.GetDirectoryName(path) ?? ".", name[..at] + labels + name[(at + images.Length)..]);
            if (!File.Exists(labelPath)) throw new InputException($"{path}: expected the labels beside the images at {labelPath}, found no such file");
            return ReadIdx(path, labelPath);
        }
        throw new InputException($"{path}: expected a folder, an .npz or an IDX images file named *-images-idx3-ubyte[.gz], found {name}");
    }

    /// <summary>An MNIST-layout folder's train or test split.</summary>
    public static ImageSet ReadFolder(string folder, ImageSplit split)
    {
        string prefix = split == ImageSplit.Train ? "train" : "t10k";
        return ReadIdx(Find(folder, $"{prefix}-images-idx3-ubyte", $"{prefix}-images.idx3-ubyte"),
                       Find(folder, $"{prefix}-labels-idx1-ubyte", $"{prefix}-labels.idx1-ubyte"));
    }

    /// <summary>An IDX images file [N, H, W] (or [N, C, H, W]) and its labels [N]; class names from beside the images.</summary>
    public static ImageSet ReadIdx(string imagesPath, string labelsPath)
    {
        var images = IdxFile.Read(imagesPath);
        if (images.Shape.Length is not (3 or 4))
            throw new InputException($"{imagesPath}: dimension count: expected 3 (images [N, rows, columns]) or 4 ([N, C, H, W]), found {images.Shape.Length}");
        var labels = IdxFile.Read(labelsPath, 1, "labels [N]");
        string folder = Path.GetDirectoryName(Path.GetFullPath(imagesPath))!;
        return Build(images, imagesPath, labels, labelsPath, null, folder, imagesPath);
    }

    /// <summary>An .npz of images and labels (see the class summary for the array names).</summary>
    public static ImageSet ReadNpz(string path, ImageSplit split)
    {
        using var npz = new NpzReader(path);
        bool keras = !npz.Contains("images") && npz.Contains("x_train");
        bool maps = !npz.Contains("images") && !keras && npz.Contains("maps");
        string imagesKey = keras ? (split == ImageSplit.Train ? "x_train" : "x_test") : maps ? "maps" : "images";
        string labelsKey = keras ? (split == ImageSplit.Train ? "y_train" : "y_test") : maps ? "y" : "labels";
        string namesKey = maps ? "class_names" : "classes";
        var imagesHeader = npz.Header(npz.Contains(imagesKey) ? imagesKey : throw new InputException($"{path}: expected array '{imagesKey}' (or 'maps' of a TERS map set), found only {string.Join(", ", npz.Keys.Order())}"));
        if (imagesHeader.Shape.Length is not (3 or 4))
            throw new InputException($"{path} [{imagesKey}]: dimension count: expected 3 ([N, H, W]) or 4 ([N, C, H, W]), found {imagesHeader.Shape.Length}");
        if (imagesHeader.Type is not (NpyType.UInt8 or NpyType.Float32 or NpyType.Float64))
            throw new InputException($"{path} [{imagesKey}]: dtype: expected uint8, float32 or float64, found {NpyTypes.Descriptor(imagesHeader.Type, imagesHeader.UnicodeLength)}");
        CheckPixels(imagesHeader.Count, $"{path} [{imagesKey}]");
        var images = npz.Read(imagesKey);
        var labels = npz.Require(labelsKey);
        IReadOnlyList<string>? names = null;
        if (npz.Contains(namesKey))
        {
            var classes = npz.Read(namesKey);
            names = classes.Values as string[] ?? throw new InputException($"{path} [{namesKey}]: dtype: expected strings (<U), found {classes.Descriptor}");
            if (names.Count is 0 or > ImageClassNames.MaxClasses)
                throw new InputException($"{path} [{namesKey}]: expected 1 to {ImageClassNames.MaxClasses} class names, found {names.Count}");
        }
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return Build(images, $"{path} [{imagesKey}]", labels, $"{path} [{labelsKey}]", names, folder, keras ? $"{path} ({split.ToString().ToLowerInvariant()})" : path);
    }

    private static ImageSet Build(NpyArray images, string imagesWhere, NpyArray labels, string labelsWhere, IReadOnlyList<string>? names, string folder, string source)
    {
        var shape = images.Shape;
        long n = shape[0];
        int c = shape.Length == 4 ? (int)shape[1] : 1;
        int h = (int)shape[^2], w = (int)shape[^1];
        if (n == 0 || c == 0 || h == 0 || w == 0)
            throw new InputException($"{imagesWhere}: shape: expected at least one image of at least one pixel, found ({string.Join(", ", shape)})");
        CheckPixels(images.Count, imagesWhere);
        if (labels.Shape.Length != 1)
            throw new InputException($"{labelsWhere}: dimension count: expected 1 (labels [N]), found {labels.Shape.Length}");
        if (labels.Shape[0] != n)
            throw new InputException($"{labelsWhere}: count: expected {n} labels (one per image in {imagesWhere}), found {labels.Shape[0]}");
        var raw = labels.Values is float[] or double[] or bool[] or string[]
            ? throw new InputException($"{labelsWhere}: dtype: expected integers, found {labels.Descriptor}")
            : labels.ToLongs(labelsWhere);

        long max = -1;
        for (int i = 0; i < raw.Length; i++)
        {
            long limit = names?.Count ?? ImageClassNames.MaxClasses;
            if (raw[i] < 0 || raw[i] >= limit)
                throw new InputException($"{labelsWhere}: label of image {i}: expected 0 to {limit - 1}{(names is null ? "" : $" ({names.Count} class names)")}, found {raw[i]}");
            max = Math.Max(max, raw[i]);
        }
        names ??= ImageClassNames.For(folder, (int)max);
        foreach (long label in raw)
            if (label >= names.Count)
                throw new InputException($"{labelsWhere}: labels: expected 0 to {names.Count - 1} ({names.Count} class names), found {label}");

        var pixels = new float[images.Count];
        switch (images.Values)
        {
            case byte[] b:
                for (int i = 0; i < b.Length; i++) pixels[i] = b[i] / 255f;
                break;
            case float[] f:
                f.CopyTo(pixels, 0);
                break;
            case double[] d:
                for (int i = 0; i < d.Length; i++) pixels[i] = (float)d[i];
                break;
            default:
                throw new InputException($"{imagesWhere}: dtype: expected uint8 or float pixels, found {images.Descriptor}");
        }
        int bad = FiniteScan.IndexOfNonFinite(pixels);
        if (bad >= 0)
            throw new InputException($"{imagesWhere}: pixel {bad % ((long)c * h * w)} of image {bad / ((long)c * h * w)}: expected a finite value, found {Finite.Describe(pixels[bad])}");
        return new ImageSet(c, h, w, pixels, Array.ConvertAll(raw, x => (int)x), names, source);
    }

    private static void CheckPixels(long count, string where)
    {
        if (count > MaxPixels) throw new InputException($"{where}: size: expected at most {MaxPixels} pixels in one set, found {count}");
    }

    private static string Find(string folder, params string[] names)
    {
        foreach (string name in names)
            foreach (string suffix in Suffixes)
            {
                string path = Path.Combine(folder, name + suffix);
                if (File.Exists(path)) return path;
            }
        var present = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order().Take(12).ToArray();
        throw new InputException($"{folder}: expected {names[0]}[.gz] (MNIST layout), found {(present.Length == 0 ? "an empty folder" : "only " + string.Join(", ", present))}");
    }
}
