using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Peakformer.Engine.Checkpoints;

namespace Peakformer.Learning.Models;

/// <summary>
/// Hashes that tell models apart by content. A file's hash (SHA-256 of its bytes, lower-case hex, taken from the bytes
/// loaded: <see cref="SafeTensorsFile.ReadHashed"/>) names the file a carried model came from. The content hash of
/// loaded tensors and metadata is what two copies share however they were stored (a file, or nested inside another
/// checkpoint), so it is the one to compare.
/// </summary>
public static class CheckpointHash
{
    /// <summary>A stored SHA-256: 64 hexadecimal digits.</summary>
    public static bool IsSha256(string? value) => value is { Length: 64 } && value.All(char.IsAsciiHexDigit);

    /// <summary>
    /// SHA-256 over the metadata (ordinal key order) and the tensors (name order): names, shapes and the float bits,
    /// each length-prefixed, so no two different contents share one byte stream.
    /// </summary>
    public static string OfContents(IEnumerable<SafeTensorsEntry> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var number = new byte[8];
        void Long(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(number, value);
            hash.AppendData(number);
        }
        void Text(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Long(bytes.Length);
            hash.AppendData(bytes);
        }
        Long(metadata.Count);
        foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            Text(key);
            Text(value);
        }
        var list = tensors.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        Long(list.Count);
        foreach (var t in list)
        {
            Text(t.Name);
            var dims = t.Shape.ToArray();
            Long(dims.Length);
            foreach (var d in dims) Long(d);
            Long(t.Values.Length);
            if (BitConverter.IsLittleEndian) hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(t.Values.AsSpan()));
            else
                foreach (float v in t.Values)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(number, v);
                    hash.AppendData(number, 0, 4);
                }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
