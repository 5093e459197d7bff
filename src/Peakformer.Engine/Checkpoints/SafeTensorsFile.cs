using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Peakformer.Engine.Files;
using Peakformer.Engine.Tensors;

namespace Peakformer.Engine.Checkpoints;

/// <summary>
/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of JSON
/// mapping each tensor name to {dtype, shape, data_offsets: [begin, end]} relative to the data that follows,
/// plus an optional "__metadata__" string map. Peakformer stores float32 ("F32") tensors only.
/// </summary>
public static class SafeTensorsFile
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Writes atomically: a temporary file in the same folder, renamed over the target at the end.</summary>
    public static void Write(string path, IEnumerable<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var list = tensors.ToList();
        var header = new JsonObject();
        if (metadata is { Count: > 0 })
        {
            var meta = new JsonObject();
            foreach (var (k, v) in metadata) meta[k] = v;
            header["__metadata__"] = meta;
        }
        long offset = 0;
        foreach (var t in list)
        {
            if (t.Values.Length != t.Shape.Size)
                throw new ArgumentException($"SafeTensors: tensor '{t.Name}' has {t.Values.Length} values for shape {t.Shape}.");
            long end = offset + 4L * t.Values.Length;
            header[t.Name] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(t.Shape.ToArray().Select(d => (JsonNode)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, end),
            };
            offset = end;
        }
        byte[] json = Encoding.UTF8.GetBytes(header.ToJsonString());
        int padded = (json.Length + 7) / 8 * 8; // the data then starts 8-byte aligned
        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            var buffer = new byte[1 << 16];
            foreach (var t in list)
            {
                var bytes = System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Values.AsSpan());
                if (BitConverter.IsLittleEndian) stream.Write(bytes);
                else
                    for (int i = 0; i < t.Values.Length; i++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(buffer, t.Values[i]);
                        stream.Write(buffer, 0, 4);
                    }
            }
        });
    }

    /// <summary>Reads every tensor and the metadata; any inconsistency names the file and the tensor or byte offset.</summary>
    public static (IReadOnlyList<SafeTensorsEntry> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafeTensorsException($"{path}: cannot read checkpoint ({e.Message}).");
        }
        if (bytes.Length < 8) throw new SafeTensorsException($"{path}: {bytes.Length} bytes is too short for a safetensors header (need at least 8).");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > MaxHeaderBytes || 8 + (long)headerLength > bytes.Length)
            throw new SafeTensorsException($"{path}: header length {headerLength} at byte 0 exceeds the file ({bytes.Length} bytes): corrupt or truncated.");
        int dataStart = 8 + (int)headerLength;
        JsonObject header;
        try
        {
            header = JsonNode.Parse(bytes.AsSpan(8, (int)headerLength)) as JsonObject
                ?? throw new SafeTensorsException($"{path}: header at byte 8 is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException($"{path}: header JSON is corrupt at byte {8 + (e.BytePositionInLine ?? 0)}: {e.Message}");
        }
        var metadata = new Dictionary<string, string>();
        var tensors = new List<SafeTensorsEntry>();
        long dataLength = bytes.Length - dataStart;
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is not JsonObject meta) throw new SafeTensorsException($"{path}: __metadata__ is not an object.");
                foreach (var (k, v) in meta) metadata[k] = v?.GetValue<string>() ?? "";
                continue;
            }
            tensors.Add(ReadEntry(path, name, node, bytes, dataStart, dataLength));
        }
        return (tensors, metadata);
    }

    private static SafeTensorsEntry ReadEntry(string path, string name, JsonNode? node, byte[] bytes, int dataStart, long dataLength)
    {
        try
        {
            string dtype = node!["dtype"]!.GetValue<string>();
            if (dtype != "F32") throw new SafeTensorsException($"{path}: tensor '{name}' has dtype {dtype}; only F32 is supported.");
            int[] dims = node["shape"]!.AsArray().Select(d => d!.GetValue<int>()).ToArray();
            var offsets = node["data_offsets"]!.AsArray();
            long begin = offsets[0]!.GetValue<long>(), end = offsets[1]!.GetValue<long>();
            var shape = new Shape(dims);
            if (begin < 0 || end < begin || end > dataLength)
                throw new SafeTensorsException($"{path}: tensor '{name}' spans data bytes [{begin}, {end}) but the data section holds {dataLength} bytes (file truncated at byte {dataStart + dataLength}).");
            if (end - begin != 4L * shape.Size)
                throw new SafeTensorsException($"{path}: tensor '{name}' of shape {shape} needs {4L * shape.Size} bytes, its offsets give {end - begin}.");
            var values = new float[shape.Size];
            var source = bytes.AsSpan(dataStart + (int)begin, (int)(end - begin));
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(4 * i, 4));
            return new SafeTensorsEntry(name, shape, values);
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new SafeTensorsException($"{path}: header entry for tensor '{name}' is malformed ({e.Message}).");
        }
    }
}
