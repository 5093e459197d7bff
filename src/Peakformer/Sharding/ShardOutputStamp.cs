namespace Peakformer.Sharding;

/// <summary>An output file as a shard left it: its size and last write time (UTC).</summary>
public sealed record ShardOutputStamp(long Bytes, DateTime WrittenUtc)
{
    /// <summary>The file's stamp now, or null for a folder or a path that is not a file.</summary>
    public static ShardOutputStamp? Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new ShardOutputStamp(info.Length, info.LastWriteTimeUtc) : null;
    }
}
