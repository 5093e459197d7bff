using System.Text.Json;
using System.Text.Json.Serialization;

namespace Peakformer.Sharding;

/// <summary>
/// What one shard's status file (<c>OUT.status.json</c>) says: which job (command and its settings without the outputs)
/// and which shard, its outputs, its state (running, done, failed), items done of its total, its rate and times. Merge
/// reads it to check that the shards belong together; <c>status DIR</c> summarises a folder of them.
/// </summary>
public sealed record ShardStatus
{
    public const string Running = "running", Done = "done", Failed = "failed";

    /// <summary>The status file beside an output.</summary>
    public static string PathFor(string output) => output + ".status.json";

    public required string Command { get; init; }
    /// <summary>The command's options other than its outputs, --force, --threads and --shard: equal for every shard of one job.</summary>
    public required string Settings { get; init; }
    public required int ShardIndex { get; init; }
    public required int ShardCount { get; init; }
    /// <summary>The files this shard writes, as full paths.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }
    public required string State { get; init; }
    public long ItemsDone { get; init; }
    public long ItemsTotal { get; init; }
    public double RatePerSecond { get; init; }
    public DateTime StartedUtc { get; init; }
    public DateTime UpdatedUtc { get; init; }
    public DateTime? EndedUtc { get; init; }
    public string Host { get; init; } = "";
    public int Pid { get; init; }
    /// <summary>Why a failed shard failed (its error line).</summary>
    public string? Message { get; init; }
    /// <summary>
    /// Size and last write of each output file when the shard finished (null for a folder), so merge can tell a file
    /// rewritten since (by another run into the same path) from the shard's own.
    /// </summary>
    public IReadOnlyList<ShardOutputStamp?>? Stamps { get; init; }

    [JsonIgnore] public Shard Shard => new(ShardIndex, ShardCount);

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads a status file; anything but a status is a one-line error naming the file.</summary>
    public static ShardStatus Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InputException($"{path}: no such status file");
        if (info.Length > 1 << 20) throw new InputException($"{path}: expected a shard status file (a few hundred bytes), found {info.Length:N0} bytes");
        ShardStatus? status;
        try
        {
            status = JsonSerializer.Deserialize<ShardStatus>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InputException($"{path}: expected a shard status (JSON), found {JsonErrors.Reason(e)}");
        }
        if (status is not null && (status.Command is null || status.Settings is null || status.State is null || status.Outputs is null || status.Outputs.Any(o => o is null)))
            throw new InputException($"{path}: expected a shard status with command, settings, outputs and state, found {(status.Command is null ? "no command" : status.Settings is null ? "no settings" : status.State is null ? "no state" : "no outputs")}");
        if (status is null || status.ShardCount is < 1 or > Shard.MaxCount || status.ShardIndex < 0 || status.ShardIndex >= status.ShardCount)
            throw new InputException($"{path}: expected a shard status with shard_index in [0, shard_count), found {status?.ShardIndex}/{status?.ShardCount}");
        if (status.State is not (Running or Done or Failed))
            throw InputException.At(path, null, "state", "running, done or failed", $"'{status.State}'");
        return status;
    }
}
