using System.Diagnostics;
using Peakformer.Data.Npy;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Data;

public class NpzTests
{
    [Theory]
    [InlineData("numpy_golden.npz")]
    [InlineData("numpy_golden_compressed.npz")]
    public void Archives_written_by_numpy_read_back_exactly(string file)
    {
        using var npz = new NpzReader(GoldenFiles.Path(file));
        var f4 = npz.Read("f4");
        Assert.Equal(new long[] { 3, 4 }, f4.Shape);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => 0.5f * i - 1).ToArray(), f4.As<float>("f4"));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => i / 3.0).ToArray(), npz.Read("f8").As<double>("f8"));
        Assert.Equal(Enumerable.Range(-3, 7).Select(i => (sbyte)i).ToArray(), npz.Read("i1").As<sbyte>("i1"));
        var i4 = npz.Read("i4");
        Assert.Equal(new long[] { 2, 3 }, i4.Shape);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => -7 * i).ToArray(), i4.As<int>("i4"));
        Assert.Equal(Enumerable.Range(0, 4).Select(i => 10_000_000_000L * i).ToArray(), npz.Read("i8").As<long>("i8"));
        Assert.Equal(new byte[] { 250, 251, 252, 253, 254, 255 }, npz.Read("u1").As<byte>("u1"));
        Assert.Equal(new[] { true, false, true, true }, npz.Read("b1").As<bool>("b1"));
        Assert.Equal(new[] { "pion", "kaon", "μ-on" }, npz.Read("u").As<string>("u"));
        var scalar = npz.Read("scalar");
        Assert.Empty(scalar.Shape);
        Assert.Equal(2.5, scalar.As<double>("scalar")[0]);
        var empty = npz.Read("empty");
        Assert.Equal(new long[] { 0, 3 }, empty.Shape);
        Assert.Equal(0, empty.Count);
    }

    [Theory]
    [InlineData("numpy_golden.npz")]
    [InlineData("numpy_golden_compressed.npz")]
    public void Rows_read_in_order_continue_where_the_last_read_ended(string file)
    {
        using var npz = new NpzReader(GoldenFiles.Path(file));
        float[] Row(int r) => Enumerable.Range(4 * r, 4).Select(i => 0.5f * i - 1).ToArray();
        var row = new float[4];
        for (int r = 0; r < 3; r++)
        {
            npz.ReadRows("f4", r, 1, row);
            Assert.Equal(Row(r), row);
        }
        // In order, only the .npy header is passed over; reopening for every read skipped every earlier row again.
        Assert.Equal(npz.Header("f4").HeaderBytes, npz.BytesSkipped);
        // Backwards, another entry in between, and forwards again: each read still lands on its own rows.
        var two = new float[8];
        npz.ReadRows("f4", 1, 2, two);
        Assert.Equal(Row(1).Concat(Row(2)), two);
        var ints = new int[3];
        npz.ReadRowBytes("i4", 1, 1, System.Runtime.InteropServices.MemoryMarshal.AsBytes(ints.AsSpan()));
        Assert.Equal(new[] { -21, -28, -35 }, ints);
        npz.ReadRows("f4", 0, 1, row);
        Assert.Equal(Row(0), row);
        npz.ReadRows("f4", 2, 1, row);
        Assert.Equal(Row(2), row);
    }

    [Theory]
    [InlineData("fortran", "Fortran-order arrays are not supported")]
    [InlineData("bigendian", "big-endian dtype >f4 is not supported")]
    [InlineData("objects", "object arrays (dtype |O) are not supported")]
    [InlineData("structured", "structured dtype")]
    public void Unsupported_arrays_are_rejected_with_a_reason(string key, string reason)
    {
        using var npz = new NpzReader(GoldenFiles.Path("numpy_unsupported.npz"));
        var e = Assert.Throws<InputException>(() => npz.Read(key));
        Assert.Contains(reason, e.Message);
        Assert.Contains($"[{key}]", e.Message);
    }

    public static TheoryData<string> Types() => new() { "f4", "f8", "i1", "i4", "i8", "u1", "b1", "u" };

    private static NpyArray Sample(string type) => type switch
    {
        "f4" => NpyArray.Of(new[] { 1.5f, -0f, float.MaxValue, float.Epsilon, float.NaN, 3f }, 2, 3),
        "f8" => NpyArray.Of(new[] { Math.PI, -1e300, double.PositiveInfinity }),
        "i1" => NpyArray.Of(new sbyte[] { -128, 0, 127 }),
        "i4" => NpyArray.Of(new[] { int.MinValue, 0, int.MaxValue, 7 }, 2, 2),
        "i8" => NpyArray.Of(new[] { long.MinValue, long.MaxValue }),
        "u1" => NpyArray.Of(new byte[] { 0, 255 }),
        "b1" => NpyArray.Of(new[] { true, false }),
        _ => NpyArray.Of(new[] { "", "kaon", "π⁺" }),
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Every_dtype_round_trips(string type)
    {
        using var folder = new TempFolder();
        var array = Sample(type);
        using (var writer = new NpzWriter(folder.File("a.npz")))
        {
            writer.Add("x", array);
            writer.Commit();
        }
        using var reader = new NpzReader(folder.File("a.npz"));
        var back = reader.Read("x");
        Assert.Equal(array.Shape, back.Shape);
        Assert.Equal(array.Descriptor, back.Descriptor);
        Assert.Equal(array.Values.Cast<object>(), back.Values.Cast<object>());
    }

    [Fact]
    public void Numpy_reads_what_we_write()
    {
        if (!File.Exists("/usr/bin/python3")) return; // the golden-file tests above cover the reader without Python
        using var folder = new TempFolder();
        using (var writer = new NpzWriter(folder.File("a.npz")))
        {
            foreach (var t in new[] { "f4", "f8", "i1", "i4", "i8", "u1", "b1", "u" }) writer.Add(t, Sample(t));
            var rows = writer.Begin("streamed", NpyType.Float32, 2, 3);
            rows.Append<float>([1, 2, 3]);
            rows.Append<float>([4, 5, 6]);
            rows.Complete();
            writer.Commit();
        }
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import numpy as np, sys; d = np.load(sys.argv[1]); " +
            "print(d['f4'].shape, d['i4'][1, 1], d['i8'][1], d['u'][2], d['streamed'].sum(), d['b1'].tolist(), d['f8'].dtype)");
        info.ArgumentList.Add(folder.File("a.npz"));
        using var p = Process.Start(info)!;
        string output = p.StandardOutput.ReadToEnd();
        string error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (error.Contains("No module named 'numpy'")) return;
        Assert.True(p.ExitCode == 0, error);
        Assert.Equal("(2, 3) 7 9223372036854775807 π⁺ 21.0 [True, False] float64", output.Trim());
    }

    [Fact]
    public void Truncated_and_foreign_files_are_reported()
    {
        using var folder = new TempFolder();
        string path = folder.File("t.npz");
        var bytes = File.ReadAllBytes(GoldenFiles.Path("numpy_golden.npz"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InputException>(() => new NpzReader(path));
        Assert.Contains("not a .npz archive, or truncated", e.Message);
        File.WriteAllText(path, "EvtNo,ID\n1,0\n");
        e = Assert.Throws<InputException>(() => new NpzReader(path));
        Assert.Contains(path, e.Message);
        e = Assert.Throws<InputException>(() => new NpzReader(folder.File("missing.npz")));
        Assert.Contains("file not found", e.Message);
    }

    [Fact]
    public void An_abandoned_writer_leaves_no_file()
    {
        using var folder = new TempFolder();
        using (var writer = new NpzWriter(folder.File("never.npz")))
        {
            writer.Add("x", Sample("f4"));
            // no Commit: as if the run failed
        }
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }
}
