using Peakformer.Data.Images;
using Peakformer.Data.Npy;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Data.Images;

public class ImageSetReaderTests
{
    /// <summary>An MNIST-layout folder: n images of 2x3 with pixel (i, y, x) = 10 i + 3 y + x, labels i mod 3.</summary>
    private static string Folder(TempFolder temp, string name, string split, int n, string suffix = ".gz")
    {
        string folder = Path.Combine(temp.Path, name);
        Directory.CreateDirectory(folder);
        var pixels = new byte[n * 6];
        for (int i = 0; i < n; i++)
            for (int y = 0; y < 2; y++)
                for (int x = 0; x < 3; x++) pixels[i * 6 + y * 3 + x] = (byte)(10 * i + 3 * y + x);
        IdxFile.Write(Path.Combine(folder, $"{split}-images-idx3-ubyte{suffix}"), NpyArray.Of(pixels, n, 2, 3));
        IdxFile.Write(Path.Combine(folder, $"{split}-labels-idx1-ubyte{suffix}"), NpyArray.Of(Enumerable.Range(0, n).Select(i => (byte)(i % 3)).ToArray(), n));
        return folder;
    }

    [Fact]
    public void A_folder_in_MNIST_layout_reads_the_chosen_split_scaled_to_unit_range()
    {
        using var temp = new TempFolder();
        string folder = Folder(temp, "digits", "train", 4);
        Folder(temp, "digits", "t10k", 2, suffix: "");
        var train = ImageSetReader.Read(folder, ImageSplit.Train);
        Assert.Equal((4, 1, 2, 3), (train.Count, train.Channels, train.Height, train.Width));
        Assert.Equal([0, 1, 2, 0], train.Labels);
        Assert.Equal(["0", "1", "2"], train.ClassNames);
        // Image 3, row 1, column 2: 10 * 3 + 3 + 2 = 35, scaled by 1/255.
        Assert.Equal(35 / 255f, train.Image(3)[1 * 3 + 2]);
        Assert.Equal(0f, train.Pixels[0]);

        var test = ImageSetReader.Read(folder, ImageSplit.Test);
        Assert.Equal(2, test.Count);
        Assert.Equal(11 / 255f, test.Image(1)[1]); // 10 * 1 + 3 * 0 + 1
    }

    [Fact]
    public void Class_names_come_from_classes_txt_else_from_a_fashion_mnist_folder()
    {
        using var temp = new TempFolder();
        string fashion = Folder(temp, "fashion-mnist", "t10k", 3);
        Assert.Equal("Ankle boot", ImageSetReader.Read(fashion, ImageSplit.Test).ClassNames[9]);
        Assert.Equal(10, ImageSetReader.Read(fashion, ImageSplit.Test).Classes);

        File.WriteAllLines(Path.Combine(fashion, "classes.txt"), ["left", "", " right ", "up", "down"]);
        Assert.Equal(["left", "right", "up", "down"], ImageSetReader.Read(fashion, ImageSplit.Test).ClassNames);

        File.WriteAllLines(Path.Combine(fashion, "classes.txt"), ["only", "two"]);
        var e = Assert.Throws<InputException>(() => ImageSetReader.Read(fashion, ImageSplit.Test));
        Assert.Equal($"{Path.Combine(fashion, "t10k-labels-idx1-ubyte.gz")}: labels: expected 0 to 1 (2 class names), found 2", e.Message);

        File.WriteAllLines(Path.Combine(fashion, "classes.txt"), ["a", "b", "a"]);
        e = Assert.Throws<InputException>(() => ImageSetReader.Read(fashion, ImageSplit.Test));
        Assert.Equal($"{Path.Combine(fashion, "classes.txt")}: expected distinct class names, found 'a' 2 times", e.Message);
    }

    [Fact]
    public void An_images_file_finds_its_labels_by_name()
    {
        using var temp = new TempFolder();
        string folder = Folder(temp, "d", "train", 3, suffix: "");
        var set = ImageSetReader.Read(Path.Combine(folder, "train-images-idx3-ubyte"), ImageSplit.Test);
        Assert.Equal(3, set.Count);
        File.Delete(Path.Combine(folder, "train-labels-idx1-ubyte"));
        var e = Assert.Throws<InputException>(() => ImageSetReader.Read(Path.Combine(folder, "train-images-idx3-ubyte"), ImageSplit.Train));
        Assert.Equal($"{Path.Combine(folder, "train-images-idx3-ubyte")}: expected the labels beside the images at {Path.Combine(folder, "train-labels-idx1-ubyte")}, found no such file", e.Message);
    }

    [Fact]
    public void Mismatched_and_missing_files_are_named()
    {
        using var temp = new TempFolder();
        string folder = Folder(temp, "d", "train", 3);
        string labels = Path.Combine(folder, "train-labels-idx1-ubyte.gz");
        IdxFile.Write(labels, NpyArray.Of(new byte[] { 0, 1 }, 2));
        var e = Assert.Throws<InputException>(() => ImageSetReader.Read(folder, ImageSplit.Train));
        Assert.Equal($"{labels}: count: expected 3 labels (one per image in {Path.Combine(folder, "train-images-idx3-ubyte.gz")}), found 2", e.Message);

        // Images where labels belong: the dimension count says so.
        File.Copy(Path.Combine(folder, "train-images-idx3-ubyte.gz"), labels, overwrite: true);
        e = Assert.Throws<InputException>(() => ImageSetReader.Read(folder, ImageSplit.Train));
        Assert.Equal($"{labels}: dimension count: expected 1 (labels [N]), found 3 (magic 0x00000803)", e.Message);

        e = Assert.Throws<InputException>(() => ImageSetReader.Read(folder, ImageSplit.Test));
        Assert.Equal($"{folder}: expected t10k-images-idx3-ubyte[.gz] (MNIST layout), found only train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz", e.Message);

        e = Assert.Throws<InputException>(() => ImageSetReader.Read(Path.Combine(temp.Path, "none"), ImageSplit.Test));
        Assert.Equal($"{Path.Combine(temp.Path, "none")}: expected an image folder, IDX file or .npz, found nothing at that path", e.Message);
    }

    [Fact]
    public void Labels_beyond_the_class_limit_are_refused()
    {
        using var temp = new TempFolder();
        string path = temp.File("set.npz");
        using (var npz = new NpzWriter(path))
        {
            npz.Add("images", NpyArray.Of(new byte[8], 2, 2, 2));
            npz.Add("labels", NpyArray.Of(new long[] { 0, 5000 }));
            npz.Commit();
        }
        var e = Assert.Throws<InputException>(() => ImageSetReader.Read(path, ImageSplit.Train));
        Assert.Equal($"{path} [labels]: label of image 1: expected 0 to 4095, found 5000", e.Message);

        using (var npz = new NpzWriter(path))
        {
            npz.Add("images", NpyArray.Of(new byte[8], 2, 2, 2));
            npz.Add("labels", NpyArray.Of(new[] { -1, 0 }));
            npz.Commit();
        }
        e = Assert.Throws<InputException>(() => ImageSetReader.Read(path, ImageSplit.Train));
        Assert.Equal($"{path} [labels]: label of image 0: expected 0 to 4095, found -1", e.Message);

        using (var npz = new NpzWriter(path))
        {
            npz.Add("images", NpyArray.Of(new[] { 0f, 1f, float.NaN, 0f }, 1, 2, 2));
            npz.Add("labels", NpyArray.Of(new[] { 0.5f }));
            npz.Commit();
        }
        e = Assert.Throws<InputException>(() => ImageSetReader.Read(path, ImageSplit.Train));
        Assert.Equal($"{path} [labels]: dtype: expected integers, found <f4", e.Message);

        using (var npz = new NpzWriter(path))
        {
            npz.Add("images", NpyArray.Of(new[] { 0f, 1f, float.NaN, 0f }, 1, 2, 2));
            npz.Add("labels", NpyArray.Of(new[] { 0 }));
            npz.Commit();
        }
        e = Assert.Throws<InputException>(() => ImageSetReader.Read(path, ImageSplit.Train));
        Assert.Equal($"{path} [images]: pixel 2 of image 0: expected a finite value, found NaN", e.Message);

        using (var npz = new NpzWriter(path))
        {
            npz.Add("images", NpyArray.Of(new[] { 1, 2 }, 1, 2));
            npz.Add("labels", NpyArray.Of(new[] { 0 }));
            npz.Commit();
        }
        e = Assert.Throws<InputException>(() => ImageSetReader.Read(path, ImageSplit.Train));
        Assert.Equal($"{path} [images]: dimension count: expected 3 ([N, H, W]) or 4 ([N, C, H, W]), found 2", e.Message);
    }

    [Fact]
    public void NumPy_uint8_images_read_with_their_class_names()
    {
        // tools/golden/make_image_npz_golden.py: pixel (n, y, x) = 40 n + 10 y + x + 5, labels [2, 0, 1].
        var set = ImageSetReader.Read(GoldenFiles.Path("images_u8.npz"), ImageSplit.Train);
        Assert.Equal((3, 1, 2, 3), (set.Count, set.Channels, set.Height, set.Width));
        for (int n = 0; n < 3; n++)
            for (int y = 0; y < 2; y++)
                for (int x = 0; x < 3; x++)
                    Assert.Equal((40 * n + 10 * y + x + 5) / 255f, set.Image(n)[y * 3 + x]);
        Assert.Equal([2, 0, 1], set.Labels);
        Assert.Equal(["cat", "dog", "owl"], set.ClassNames);
    }

    [Fact]
    public void NumPy_float32_images_with_channels_read_as_stored()
    {
        // pixel (n, c, y, x) = (n + 1) / 4 - c / 8 + y / 16 + x / 32 (exact in binary), labels [1, 1].
        var set = ImageSetReader.Read(GoldenFiles.Path("images_f32.npz"), ImageSplit.Train);
        Assert.Equal((2, 3, 2, 2), (set.Count, set.Channels, set.Height, set.Width));
        int i = 0;
        for (int n = 0; n < 2; n++)
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 2; y++)
                    for (int x = 0; x < 2; x++)
                        Assert.Equal((n + 1) / 4f - c / 8f + y / 16f + x / 32f, set.Pixels[i++]);
        Assert.Equal([1, 1], set.Labels);
        Assert.Equal(["0", "1"], set.ClassNames);
    }

    [Fact]
    public void A_Keras_style_npz_gives_the_chosen_split()
    {
        var train = ImageSetReader.Read(GoldenFiles.Path("images_keras.npz"), ImageSplit.Train);
        var test = ImageSetReader.Read(GoldenFiles.Path("images_keras.npz"), ImageSplit.Test);
        Assert.Equal([3, 7], train.Labels);
        Assert.Equal(7 / 255f, train.Image(1)[3]);
        Assert.Equal([9], test.Labels);
        Assert.Equal(10, test.Classes);
        Assert.Equal(3 / 255f, test.Image(0)[3]);
    }
}
