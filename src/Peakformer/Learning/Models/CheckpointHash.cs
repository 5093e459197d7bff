using System.Security.Cryptography;

namespace Peakformer.Learning.Models;

/// <summary>
/// The content hash of a checkpoint file (SHA-256 of its bytes, lower-case hex): two paths with the same hash hold
/// the same model, and a model carried inside another checkpoint is known by the hash of the file it came from.
/// </summary>
public static class CheckpointHash
{
    public static string Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
