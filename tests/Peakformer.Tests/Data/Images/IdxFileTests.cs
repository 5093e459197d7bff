using System.IO.Compression;
using Peakformer.Data.Images;
using Peakformer.Data.Npy;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Data.Images;

public class IdxFileTests
{
    // The layout written out by hand from the format's description (yann.lecun.com/exdb/mnist): magic, then each
    // dimension as a big-endian uint32, then the pixels row by row.
    private static readonly byte[] TwoByThreeImage =
    [
        0x00, 0x00, 0x08, 0x03,
        0x00, 0x00, 0x00, 0x01,
        0x00, 0x00, 0x00, 0x02,
        0x00, 0x00, 0x00, 0x03,
        1, 2, 3,
        4, 5, 250,
    ];

    [Fact]
    public void A_2x3_ubyte_image_is_written_as_the_bytes_of_the_format()
    {
        using var temp = new TempFolder();
        string path = temp.File("one-images-idx3-ubyte");
        IdxFile.Write(path, NpyArray.Of(new byte[] { 1, 2, 3, 4, 5, 250 }, 1, 2, 3));
        Assert.Equal(TwoByThreeImage, File.ReadAllBytes(path));
    }

    [Fact]
    public void Hand_written_bytes_read_as_their_shape_and_values()
    {
        using var temp = new TempFolder();
        string path = temp.File("x-idx3-ubyte");
        File.WriteAllBytes(path, TwoByThreeImage);
        var array = IdxFile.Read(path, 3);
        Assert.Equal(NpyType.UInt8, array.Type);
        Assert.Equal([1L, 2, 3], array.Shape);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 250 }, array.Values);

        File.WriteAllBytes(path, [0, 0, 0x08, 0x01, 0, 0, 0, 3, 7, 0, 9]);
        var labels = IdxFile.Read(path, 1);
        Assert.Equal([3L], labels.Shape);
        Assert.Equal(new byte[] { 7, 0, 9 }, labels.Values);
    }

    [Fact]
    public void Wider_types_are_big_endian_as_written_by_hand()
    {
        using var temp = new TempFolder();
        string path = temp.File("wide");
        // int32 [2]: 0x01020304 and -2; float32 [1]: 1.0 (0x3F800000); float64 [1]: -2.0 (0xC000000000000000).
        File.WriteAllBytes(path, [0, 0, 0x0C, 1, 0, 0, 0, 2, 1, 2, 3, 4, 0xFF, 0xFF, 0xFF, 0xFE]);
        Assert.Equal(new[] { 0x01020304, -2 }, IdxFile.Read(path).Values);
        File.WriteAllBytes(path, [0, 0, 0x0D, 1, 0, 0, 0, 1, 0x3F, 0x80, 0, 0]);
        Assert.Equal(new[] { 1.0f }, IdxFile.Read(path).Values);
        File.WriteAllBytes(path, [0, 0, 0x0E, 1, 0, 0, 0, 1, 0xC0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.Equal(new[] { -2.0 }, IdxFile.Read(path).Values);
        File.WriteAllBytes(path, [0, 0, 0x09, 1, 0, 0, 0, 2, 0xFF, 0x7F]);
        Assert.Equal(new sbyte[] { -1, 127 }, IdxFile.Read(path).Values);

        IdxFile.Write(path, NpyArray.Of(new[] { 0x01020304, -2 }, 2));
        Assert.Equal(new byte[] { 0, 0, 0x0C, 1, 0, 0, 0, 2, 1, 2, 3, 4, 0xFF, 0xFF, 0xFF, 0xFE }, File.ReadAllBytes(path));
    }

    public static TheoryData<string> Names => new() { "a-idx3-ubyte", "a-idx3-ubyte.gz" };

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_type_round_trips_raw_and_gzipped(string name)
    {
        using var temp = new TempFolder();
        string path = temp.File(name);
        var arrays = new[]
        {
            NpyArray.Of(Enumerable.Range(0, 24).Select(i => (byte)(i * 11)).ToArray(), 2, 3, 4),
            NpyArray.Of(new sbyte[] { -128, 0, 127 }, 3),
            NpyArray.Of(new[] { int.MinValue, 0, int.MaxValue, 258 }, 2, 2),
            NpyArray.Of(new[] { 0.1f, -3.5e30f, float.Epsilon, 1f }, 4, 1),
            NpyArray.Of(new[] { Math.PI, -1e-300 }, 2),
        };
        foreach (var array in arrays)
        {
            IdxFile.Write(path, array);
            var back = IdxFile.Read(path);
            Assert.Equal(array.Type, back.Type);
            Assert.Equal(array.Shape, back.Shape);
            Assert.Equal(array.Values, back.Values);
        }
    }

    [Fact]
    public void A_gzip_file_is_the_raw_bytes_compressed()
    {
        using var temp = new TempFolder();
        string path = temp.File("x-idx3-ubyte.gz");
        IdxFile.Write(path, NpyArray.Of(new byte[] { 1, 2, 3, 4, 5, 250 }, 1, 2, 3));
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var plain = new MemoryStream();
        gzip.CopyTo(plain);
        Assert.Equal(TwoByThreeImage, plain.ToArray());

        // And a file gzipped by someone else reads the same.
        string other = temp.File("other.gz");
        using (var output = new GZipStream(File.Create(other), CompressionLevel.Fastest)) output.Write(TwoByThreeImage);
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 250 }, IdxFile.Read(other).Values);
    }

    public static TheoryData<byte[], string> Hostile => new()
    {
        { [0x12, 0x34, 0x08, 0x03, 0, 0, 0, 1], "magic: expected 0x000008nn (IDX: two zero bytes, a type code, a dimension count), found 0x12340803: not an IDX file" },
        { [0x50, 0x4B, 0x03, 0x04], "magic: expected 0x000008nn (IDX: two zero bytes, a type code, a dimension count), found 0x504b0304: not an IDX file" },
        { [0, 0, 0x08], "magic: expected 4 bytes, found a shorter file: truncated" },
        { [0, 0, 0x0B, 1, 0, 0, 0, 1, 0, 1], "type code: expected 0x08 (ubyte), 0x09, 0x0C, 0x0D or 0x0E, found 0x0B (int16, not supported)" },
        { [0, 0, 0x07, 1, 0, 0, 0, 1, 0], "type code: expected 0x08 (ubyte), 0x09, 0x0C, 0x0D or 0x0E, found 0x07 (magic 0x00000701)" },
        { [0, 0, 0x08, 0], "dimension count: expected 1 to 8, found 0 (magic 0x00000800)" },
        { [0, 0, 0x08, 9, 0, 0, 0, 1], "dimension count: expected 1 to 8, found 9 (magic 0x00000809)" },
        { [0, 0, 0x08, 3, 0, 0, 0, 1, 0, 0], "dimensions: expected 3 big-endian uint32, found a shorter file: truncated" },
        { [0, 0, 0x08, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5], "data: expected 6 bytes for shape (1, 2, 3) x 1, found 5: truncated" },
        { [0, 0, 0x08, 1, 0, 0, 0, 2, 1, 2, 3], "data: expected 2 bytes for shape (2) x 1, found 3: trailing bytes" },
        { [0, 0, 0x0C, 1, 0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7], "data: expected 8 bytes for shape (2) x 4, found 7: truncated" },
        // 60000 x 65536 x 65536 declared: refused from the header, long before any allocation.
        { [0, 0, 0x08, 3, 0, 0, 0xEA, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 1], "shape (60000, 65536, ...): expected at most 1073741824 bytes of data, found 3932160000" },
        { [0, 0, 0x0E, 2, 0x10, 0, 0, 0, 0, 0, 0, 0x10], "shape (268435456, ...): expected at most 1073741824 bytes of data, found 2147483648" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_files_are_refused_with_one_line_naming_the_file(byte[] bytes, string message)
    {
        using var temp = new TempFolder();
        string path = temp.File("bad-idx3-ubyte");
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InputException>(() => IdxFile.Read(path));
        Assert.Equal($"{path}: {message}", e.Message);
    }

    [Fact]
    public void A_wrong_dimension_count_names_what_was_expected()
    {
        using var temp = new TempFolder();
        string path = temp.File("labels");
        File.WriteAllBytes(path, [0, 0, 0x08, 0x01, 0, 0, 0, 3, 7, 0, 9]);
        var e = Assert.Throws<InputException>(() => IdxFile.Read(path, 3, "images [N, rows, columns]"));
        Assert.Equal($"{path}: dimension count: expected 3 (images [N, rows, columns]), found 1 (magic 0x00000801)", e.Message);
    }

    [Fact]
    public void Gzip_bodies_are_bounded_by_what_they_can_hold()
    {
        using var temp = new TempFolder();
        // A small gzip file that declares 500 MB (under the 1 GiB cap): more than deflate can expand it to.
        string bomb = temp.File("bomb.gz");
        using (var output = new GZipStream(File.Create(bomb), CompressionLevel.Fastest))
            output.Write([0, 0, 0x08, 1, 0x1D, 0xCD, 0x65, 0x00, 1, 2, 3]);
        long size = new FileInfo(bomb).Length;
        var e = Assert.Throws<InputException>(() => IdxFile.Read(bomb));
        Assert.Equal($"{bomb}: data: expected at most {size * 1032 + 1024} bytes from {size} gzip bytes (deflate's ratio limit), found 500000000 declared by shape (500000000)", e.Message);

        // A gzip body shorter than its header declares: truncated, found out after reading what is there.
        string shortBody = temp.File("short.gz");
        using (var output = new GZipStream(File.Create(shortBody), CompressionLevel.Fastest))
            output.Write([0, 0, 0x08, 1, 0, 0, 0, 5, 1, 2, 3]);
        e = Assert.Throws<InputException>(() => IdxFile.Read(shortBody));
        Assert.Equal($"{shortBody}: data: expected 5 bytes for shape (5), found 3: truncated", e.Message);

        string longBody = temp.File("long.gz");
        using (var output = new GZipStream(File.Create(longBody), CompressionLevel.Fastest))
            output.Write([0, 0, 0x08, 1, 0, 0, 0, 2, 1, 2, 3]);
        e = Assert.Throws<InputException>(() => IdxFile.Read(longBody));
        Assert.Equal($"{longBody}: data: expected 2 bytes for shape (2), found more: trailing bytes", e.Message);

        // A gzip stream cut in the middle.
        string cut = temp.File("cut.gz");
        IdxFile.Write(cut, NpyArray.Of(Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray(), 5000));
        var bytes = File.ReadAllBytes(cut);
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        e = Assert.Throws<InputException>(() => IdxFile.Read(cut));
        Assert.StartsWith($"{cut}: ", e.Message);
        Assert.True(e.Message.Contains("truncated") || e.Message.Contains("corrupt gzip stream"), e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<InputException>(() => IdxFile.Read("/nonexistent/train-images-idx3-ubyte"));
        Assert.Equal("/nonexistent/train-images-idx3-ubyte: file not found", e.Message);
    }
}
