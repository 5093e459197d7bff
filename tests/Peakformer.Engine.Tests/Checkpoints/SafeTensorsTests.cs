using System.Buffers.Binary;
using Peakformer.Engine.Checkpoints;
using Peakformer.Engine.Files;
using Peakformer.Engine.Layers;
using Peakformer.Engine.Randomness;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Tests.Checkpoints;

public class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pf-st-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string name) => Path.Combine(_dir, name);

    [Fact]
    public void The_file_layout_is_the_standard_one()
    {
        string path = PathOf("a.safetensors");
        SafeTensorsFile.Write(path, [new SafeTensorsEntry("w", new Shape(2), [1.5f, -2f])], new Dictionary<string, string> { ["k"] = "v" });
        var bytes = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        string json = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Contains("\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", json);
        Assert.Contains("\"__metadata__\":{\"k\":\"v\"}", json);
        Assert.Equal(0, (8 + (int)n) % 8);
        Assert.Equal(1.5f, BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)n)));
        Assert.Equal(8 + (int)n + 8, bytes.Length);
    }

    [Fact]
    public void A_model_round_trips_with_pytorch_names()
    {
        var layer = new TransformerEncoderLayer(new TransformerEncoderLayerOptions { Model = 8, Heads = 2, FeedForward = 12 }, new Rng(5));
        string path = PathOf("layer.safetensors");
        Checkpoint.Save(path, layer, "test", "{}");
        var copy = new TransformerEncoderLayer(new TransformerEncoderLayerOptions { Model = 8, Heads = 2, FeedForward = 12 }, new Rng(6));
        Checkpoint.Load(path, copy);
        foreach (var ((name, a), (_, b)) in layer.NamedParameters().Zip(copy.NamedParameters()))
            Assert.True(a.Value.Data.SequenceEqual(b.Value.Data), name);
        var (tensors, metadata) = SafeTensorsFile.Read(path);
        Assert.Equal("pt", metadata["format"]);
        Assert.Equal(
            ["self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
             "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"],
            tensors.Select(t => t.Name));
    }

    [Fact]
    public void Lstm_parameters_have_pytorch_names_and_shapes()
    {
        var lstm = new Lstm(5, 6, new Rng(1), layers: 2);
        Assert.Equal(
            ["weight_ih_l0 [24, 5]", "weight_hh_l0 [24, 6]", "bias_ih_l0 [24]", "bias_hh_l0 [24]",
             "weight_ih_l1 [24, 6]", "weight_hh_l1 [24, 6]", "bias_ih_l1 [24]", "bias_hh_l1 [24]"],
            lstm.NamedParameters().Select(p => $"{p.Name} {p.Parameter.Shape}"));
    }

    [Fact]
    public void Missing_extra_and_misshaped_tensors_are_named()
    {
        var model = new Linear(3, 2, new Rng(1));
        string path = PathOf("m.safetensors");
        SafeTensorsFile.Write(path, [new SafeTensorsEntry("weight", new Shape(2, 3), new float[6]), new SafeTensorsEntry("extra", new Shape(1), [0f])]);
        var e = Assert.Throws<SafeTensorsException>(() => Checkpoint.Load(path, model));
        Assert.Contains("missing bias", e.Message);
        Assert.Contains("unexpected extra", e.Message);
        SafeTensorsFile.Write(path, [new SafeTensorsEntry("weight", new Shape(3, 2), new float[6]), new SafeTensorsEntry("bias", new Shape(2), new float[2])]);
        e = Assert.Throws<SafeTensorsException>(() => Checkpoint.Load(path, model));
        Assert.Contains("'weight' has shape [3, 2], the model expects [2, 3]", e.Message);
    }

    [Fact]
    public void Truncated_and_corrupt_files_report_byte_offsets()
    {
        string path = PathOf("t.safetensors");
        SafeTensorsFile.Write(path, [new SafeTensorsEntry("w", new Shape(4), [1, 2, 3, 4])]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var e = Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("'w' spans data bytes [0, 16)", e.Message);
        Assert.Contains("truncated", e.Message);

        var corrupt = (byte[])bytes.Clone();
        corrupt[12] = (byte)'#';
        File.WriteAllBytes(path, corrupt);
        e = Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("corrupt at byte", e.Message);

        File.WriteAllBytes(path, [1, 2, 3]);
        e = Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("too short", e.Message);

        var huge = (byte[])bytes.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(huge, 1_000_000);
        File.WriteAllBytes(path, huge);
        e = Assert.Throws<SafeTensorsException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("header length 1000000 at byte 0 exceeds the file", e.Message);
    }

    [Fact]
    public void A_failed_write_leaves_no_file_behind()
    {
        string path = PathOf("never.safetensors");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.WriteByte(1);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Empty(Directory.GetFiles(_dir));
    }
}
