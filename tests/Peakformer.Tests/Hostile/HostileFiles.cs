using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using Peakformer.Tests.Cli;
using Peakformer.Tests.Support;

namespace Peakformer.Tests.Hostile;

[CollectionDefinition(Name)]
public sealed class HostileCollection : ICollectionFixture<HostileFiles>
{
    public const string Name = "hostile input";
}

/// <summary>
/// Small valid files written by the real commands (a dataset, a window table, a trained window model and its
/// training state), made once for the hostile-input tests, which damage copies of them.
/// </summary>
public sealed class HostileFiles : IDisposable
{
    public const string TinyTransformer = "{\"model\": 8, \"heads\": 2, \"layers\": 1, \"feed_forward\": 8, \"head_hidden\": 8}";

    public TempFolder Folder { get; } = new();
    /// <summary>simulate --events 4: a dataset with truth.</summary>
    public string Data => Folder.File("data.npz");
    /// <summary>Training data for the tiny model.</summary>
    public string Train => Folder.File("train.npz");
    public string Windows => Folder.File("windows.csv");
    public string Model => Folder.File("window.safetensors");
    public string State => Model + ".state";

    public HostileFiles()
    {
        Check(CliHarness.Run("simulate", "--events", "4", "--seed", "3", "--out", Data));
        Check(CliHarness.Run("simulate", "--events", "40", "--seed", "4", "--out", Train));
        Check(CliHarness.Run("windows", "--in", Data, "--out", Windows));
        Check(CliHarness.Run("train", "--task", "window", "--model", "transformer", "--data", Train, "--out", Model,
            "--model-config", TinyTransformer, "--epochs", "1", "--min-auc", "0"));
        Assert.True(File.Exists(State), "training wrote no .state");
    }

    /// <summary>Arguments of `train --resume` that read <paramref name="model"/>.state (one epoch, already done: it only loads).</summary>
    public string[] Resume(string model) =>
        ["train", "--task", "window", "--model", "transformer", "--data", Train, "--out", model, "--model-config", TinyTransformer,
         "--epochs", "1", "--min-auc", "0", "--resume"];

    private static void Check((int Exit, string Output, string Error) r) => Assert.True(r.Exit == 0, r.Error + r.Output);

    public void Dispose() => Folder.Dispose();
}

/// <summary>One zip entry as written by <see cref="ZipCraft"/>; null overrides take the true value.</summary>
public sealed record CraftedEntry(string Name, byte[] Data, bool Deflate = false)
{
    public uint? Crc { get; init; }
    public long? DeclaredSize { get; init; }
    /// <summary>Compressed bytes to store instead of deflating <see cref="Data"/> (a bomb, a corrupt stream).</summary>
    public byte[]? RawCompressed { get; init; }
}

/// <summary>
/// Writes zip archives byte by byte (APPNOTE 4.3: local headers, central directory, end record), so that sizes and
/// CRC-32 can lie, as a hostile file would.
/// </summary>
public static class ZipCraft
{
    public static void Write(string path, IEnumerable<CraftedEntry> entries)
    {
        using var file = File.Create(path);
        var central = new MemoryStream();
        int count = 0;
        foreach (var e in entries)
        {
            byte[] stored = e.RawCompressed ?? (e.Deflate ? Deflate(e.Data) : e.Data);
            uint crc = e.Crc ?? Crc32.HashToUInt32(e.Data);
            uint size = (uint)(e.DeclaredSize ?? e.Data.Length);
            byte[] name = Encoding.UTF8.GetBytes(e.Name);
            ushort method = (ushort)(e.Deflate || e.RawCompressed is not null ? 8 : 0);
            long offset = file.Position;
            var local = new byte[30];
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(0), 0x04034b50);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(4), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(8), method);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(12), 0x21);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(14), crc);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(18), (uint)stored.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(local.AsSpan(22), size);
            BinaryPrimitives.WriteUInt16LittleEndian(local.AsSpan(26), (ushort)name.Length);
            file.Write(local);
            file.Write(name);
            file.Write(stored);
            var dir = new byte[46];
            BinaryPrimitives.WriteUInt32LittleEndian(dir.AsSpan(0), 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(dir.AsSpan(4), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(dir.AsSpan(6), 20);
            BinaryPrimitives.WriteUInt16LittleEndian(dir.AsSpan(10), method);
            BinaryPrimitives.WriteUInt16LittleEndian(dir.AsSpan(14), 0x21);
            BinaryPrimitives.WriteUInt32LittleEndian(dir.AsSpan(16), crc);
            BinaryPrimitives.WriteUInt32LittleEndian(dir.AsSpan(20), (uint)stored.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(dir.AsSpan(24), size);
            BinaryPrimitives.WriteUInt16LittleEndian(dir.AsSpan(28), (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(dir.AsSpan(42), (uint)offset);
            central.Write(dir);
            central.Write(name);
            count++;
        }
        long start = file.Position;
        central.Position = 0;
        central.CopyTo(file);
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(0), 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)central.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)start);
        file.Write(end);
    }

    /// <summary>The entries of a valid archive, by name, to rebuild it with some replaced.</summary>
    public static List<CraftedEntry> Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.Select(e =>
        {
            using var s = e.Open();
            var m = new MemoryStream();
            s.CopyTo(m);
            return new CraftedEntry(e.FullName, m.ToArray());
        }).ToList();
    }

    /// <summary>A copy of <paramref name="source"/> with entries replaced or added by name.</summary>
    public static void Rewrite(string source, string path, params CraftedEntry[] replacements)
    {
        var entries = Entries(source);
        foreach (var r in replacements)
        {
            int i = entries.FindIndex(e => e.Name == r.Name);
            if (i >= 0) entries[i] = r;
            else entries.Add(r);
        }
        Write(path, entries);
    }

    public static byte[] Deflate(byte[] data)
    {
        var m = new MemoryStream();
        using (var d = new DeflateStream(m, CompressionLevel.Fastest, leaveOpen: true)) d.Write(data);
        return m.ToArray();
    }

    /// <summary>Raw deflate of <paramref name="bytes"/> zero bytes, made in 1 MiB pieces (about 1000:1).</summary>
    public static byte[] DeflatedZeros(long bytes)
    {
        var m = new MemoryStream();
        var zeros = new byte[1 << 20];
        using (var d = new DeflateStream(m, CompressionLevel.Optimal, leaveOpen: true))
            for (long left = bytes; left > 0; left -= zeros.Length) d.Write(zeros, 0, (int)Math.Min(zeros.Length, left));
        return m.ToArray();
    }
}

/// <summary>.npy bytes with a chosen header (numpy.lib.format): any dict, any declared length.</summary>
public static class NpyCraft
{
    public static byte[] Array(string descr, string shape, byte[] data) => Header($"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}").Concat(data).ToArray();

    public static byte[] Floats(string shape, params float[] values) => Array("<f4", shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static byte[] Longs(string shape, params long[] values) => Array("<i8", shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    public static byte[] Doubles(string shape, params double[] values) => Array("<f8", shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    /// <summary>A version 1.0 header padded to 64 bytes.</summary>
    public static byte[] Header(string dict)
    {
        int total = (10 + dict.Length + 1 + 63) / 64 * 64;
        var h = new byte[total];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }.CopyTo(h, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(8), (ushort)(total - 10));
        Encoding.ASCII.GetBytes(dict).CopyTo(h, 10);
        for (int i = 10 + dict.Length; i < total - 1; i++) h[i] = (byte)' ';
        h[^1] = (byte)'\n';
        return h;
    }

    /// <summary>A version 2.0 prefix declaring <paramref name="length"/> header bytes, followed by a few real ones.</summary>
    public static byte[] V2Declaring(uint length)
    {
        var h = new byte[12 + 64];
        new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 2, 0 }.CopyTo(h, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), length);
        Encoding.ASCII.GetBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }").CopyTo(h, 12);
        return h;
    }
}
