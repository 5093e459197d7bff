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

    /// <summary>Largest checkpoint read (4 GiB); the file length is checked before anything is allocated.</summary>
    public const long MaxFileBytes = 4L << 30;

    /// <summary>
    /// Reads every tensor and the metadata; any inconsistency names the file and the tensor or byte offset. The
    /// rules are huggingface safetensors' own (Metadata::validate): the header is at most 100 MB of JSON without
    /// duplicate keys, "__metadata__" maps strings to strings, each tensor has a dtype, a shape of non-negative
    /// integers and exactly two data_offsets [begin, end], and the tensors, in offset order, tile the data section
    /// exactly: the first begins at 0, each begins where the previous ended, the last ends at the end of the file.
    /// </summary>
    public static (IReadOnlyList<SafeTensorsEntry> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path)
    {
        if (NativeFiles.WhyNotInput(path) is { } why) throw new SafeTensorsException($"{path}: {why}.");
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return Read(path, file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafeTensorsException($"{path}: cannot read checkpoint ({e.Message}).");
        }
    }

    /// <summary>
    /// As <see cref="Read(string)"/>, and the SHA-256 (lower-case hex) of exactly the bytes the tensors were read
    /// from: the file is read once, so the hash cannot describe another version of it than the one loaded.
    /// </summary>
    public static (IReadOnlyList<SafeTensorsEntry> Tensors, IReadOnlyDictionary<string, string> Metadata, string Sha256) ReadHashed(string path)
    {
        if (NativeFiles.WhyNotInput(path) is { } why) throw new SafeTensorsException($"{path}: {why}.");
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            long length = file.Length;
            if (length > Math.Min(MaxFileBytes, Array.MaxLength))
                throw new SafeTensorsException($"{path}: file size: expected at most {Math.Min(MaxFileBytes, Array.MaxLength)} bytes for a checkpoint read whole, found {length}.");
            bytes = new byte[length];
            file.ReadExactly(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafeTensorsException($"{path}: cannot read checkpoint ({e.Message}).");
        }
        var (tensors, metadata) = Read(path, new MemoryStream(bytes, writable: false));
        return (tensors, metadata, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    private static (IReadOnlyList<SafeTensorsEntry> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(string path, Stream file)
    {
        long fileLength = file.Length;
        if (fileLength < 8) throw new SafeTensorsException($"{path}: {fileLength} bytes is too short for a safetensors header (need at least 8).");
        if (fileLength > MaxFileBytes)
            throw new SafeTensorsException($"{path}: file size: expected at most {MaxFileBytes} bytes for a checkpoint, found {fileLength}.");
        Span<byte> prefix = stackalloc byte[8];
        file.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderBytes)
            throw new SafeTensorsException($"{path}: header length at byte 0: expected at most {MaxHeaderBytes} bytes, found {headerLength}.");
        if (8 + (long)headerLength > fileLength)
            throw new SafeTensorsException($"{path}: header length {headerLength} at byte 0 exceeds the file ({fileLength} bytes): corrupt or truncated.");
        var json = new byte[headerLength];
        file.ReadExactly(json);
        long dataStart = 8 + (long)headerLength, dataLength = fileLength - dataStart;
        // JsonDocument parses invalid UTF-8 inside strings and fails later, when a name is read.
        if (System.Text.Unicode.Utf8.IsValid(json) is false)
        {
            int bad = FirstInvalidUtf8(json);
            throw new SafeTensorsException($"{path}: header at byte {8 + bad}: expected UTF-8 JSON, found an invalid UTF-8 sequence.");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new SafeTensorsException($"{path}: header JSON is corrupt at byte {8 + (e.BytePositionInLine ?? 0)}: {e.Message}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new SafeTensorsException($"{path}: header at byte 8: expected a JSON object, found {root.ValueKind}.");
            var metadata = new Dictionary<string, string>();
            var layout = new List<(string Name, Shape Shape, long Begin, long End)>();
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw new SafeTensorsException($"{path}: __metadata__: expected an object of strings, found {property.Value.ValueKind}.");
                    foreach (var item in property.Value.EnumerateObject())
                        metadata[item.Name] = item.Value.ValueKind == JsonValueKind.String ? item.Value.GetString()!
                            : throw new SafeTensorsException($"{path}: __metadata__ '{item.Name}': expected a string, found {item.Value.ValueKind}.");
                    continue;
                }
                layout.Add(ReadEntry(path, property.Name, property.Value));
            }
            // The tensors must tile the data section exactly, in offset order: no overlap, no hole, nothing after.
            long at = 0;
            foreach (var t in layout.OrderBy(t => t.Begin).ThenBy(t => t.End))
            {
                if (t.Begin != at)
                    throw new SafeTensorsException($"{path}: tensor '{t.Name}': data_offsets begin: expected {at} (where the previous tensor ends), found {t.Begin} ({(t.Begin < at ? "overlapping" : "leaving a gap")}).");
                if (t.End - t.Begin != 4L * t.Shape.Size)
                    throw new SafeTensorsException($"{path}: tensor '{t.Name}' of shape {t.Shape} needs {4L * t.Shape.Size} bytes, its offsets give {t.End - t.Begin}.");
                at = t.End;
                if (at > dataLength)
                    throw new SafeTensorsException($"{path}: tensor '{t.Name}' spans data bytes [{t.Begin}, {t.End}) but the data section holds {dataLength} bytes (file truncated at byte {dataStart + dataLength}).");
            }
            if (at != dataLength)
                throw new SafeTensorsException($"{path}: data section: expected {at} bytes (the tensors' extent), found {dataLength}: {dataLength - at} bytes after the last tensor.");
            var tensors = new List<SafeTensorsEntry>(layout.Count);
            foreach (var (name, shape, begin, _) in layout)
            {
                var values = new float[shape.Size];
                file.Position = dataStart + begin;
                file.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
                if (!BitConverter.IsLittleEndian)
                    for (int i = 0; i < values.Length; i++)
                        values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReverseEndianness(BitConverter.SingleToInt32Bits(values[i])));
                tensors.Add(new SafeTensorsEntry(name, shape, values));
            }
            return (tensors, metadata);
        }
    }

    private static (string Name, Shape Shape, long Begin, long End) ReadEntry(string path, string name, JsonElement node)
    {
        string where = $"{path}: tensor '{name}'";
        if (node.ValueKind != JsonValueKind.Object) throw new SafeTensorsException($"{where}: expected an object {{dtype, shape, data_offsets}}, found {node.ValueKind}.");
        if (!node.TryGetProperty("dtype", out var dtypeNode) || dtypeNode.ValueKind != JsonValueKind.String)
            throw new SafeTensorsException($"{where}: dtype: expected a string, found {Kind(node, "dtype")}.");
        string dtype = dtypeNode.GetString()!;
        if (dtype != "F32") throw new SafeTensorsException($"{where} has dtype {dtype}; only F32 is supported.");
        if (!node.TryGetProperty("shape", out var shapeNode) || shapeNode.ValueKind != JsonValueKind.Array)
            throw new SafeTensorsException($"{where}: shape: expected an array of dimensions, found {Kind(node, "shape")}.");
        if (shapeNode.GetArrayLength() > Shape.MaxRank)
            throw new SafeTensorsException($"{where}: shape: expected at most {Shape.MaxRank} dimensions, found {shapeNode.GetArrayLength()}.");
        var dims = new int[shapeNode.GetArrayLength()];
        long size = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            var d = shapeNode[i];
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v) || v < 0)
                throw new SafeTensorsException($"{where}: shape[{i}]: expected a non-negative integer, found {d.GetRawText()}.");
            if (v > int.MaxValue || (size *= v) > int.MaxValue)
                throw new SafeTensorsException($"{where}: shape {shapeNode.GetRawText()}: expected at most {int.MaxValue} elements, found more.");
            dims[i] = (int)v;
        }
        if (!node.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            throw new SafeTensorsException($"{where}: data_offsets: expected two integers [begin, end], found {(offsets.ValueKind == JsonValueKind.Undefined ? "none" : offsets.GetRawText())}.");
        if (!offsets[0].TryGetInt64Safe(out long begin) || !offsets[1].TryGetInt64Safe(out long end) || begin < 0 || end < begin)
            throw new SafeTensorsException($"{where}: data_offsets: expected integers 0 <= begin <= end, found {offsets.GetRawText()}.");
        return (name, new Shape(dims), begin, end);
    }

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        while (at < bytes.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(bytes[at..], out _, out int used) != System.Buffers.OperationStatus.Done) return at;
            at += used;
        }
        return at;
    }

    private static string Kind(JsonElement node, string field) => node.TryGetProperty(field, out var v) ? v.ValueKind.ToString() : "none";

    private static bool TryGetInt64Safe(this JsonElement e, out long value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
    }
}
