using System.Diagnostics;
using System.Text;
using Peakformer.Engine.Files;
using Peakformer.Progress;

namespace Peakformer.Sharding;

/// <summary>
/// Keeps a shard's status file up to date while it runs: it passes progress through to the terminal and counts the
/// items of the largest task started (the shard's own loop), rewriting the file atomically at most once every
/// <see cref="Interval"/> and at the end (done, or failed with the error line).
/// </summary>
public sealed class ShardStatusWriter : IProgressReporter
{
    /// <summary>The least time between two writes of the file: a shard of a million items writes it a few hundred times.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly string _path;
    private readonly TimeSpan _interval;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private ShardStatus _status;
    private TimeSpan _written = TimeSpan.MinValue;
    private readonly Lock _fileLock = new();
    private long _version, _versionWritten; // a write built before another already on disk is dropped, so Finish is never overwritten
    private IProgressReporter _inner = NullProgress.Instance;
    private int _counted; // which task the status counts: the largest started so far

    /// <param name="path">The status file (checked as an output by the caller).</param>
    /// <param name="interval">The least time between writes while running (default <see cref="Interval"/>).</param>
    public ShardStatusWriter(string path, string command, string settings, Shard shard, IReadOnlyList<string> outputs, TimeSpan? interval = null)
    {
        _path = path;
        _interval = interval ?? Interval;
        var now = DateTime.UtcNow;
        _status = new ShardStatus
        {
            Command = command, Settings = settings, ShardIndex = shard.Index, ShardCount = shard.Count,
            Outputs = outputs.Select(Path.GetFullPath).ToList(), State = ShardStatus.Running,
            StartedUtc = now, UpdatedUtc = now, Host = Environment.MachineName, Pid = Environment.ProcessId,
        };
        Write(force: true);
    }

    /// <summary>This writer in front of the terminal's reporter.</summary>
    public IProgressReporter Around(IProgressReporter inner)
    {
        _inner = inner;
        return this;
    }

    public IProgressTask Start(string description, long total, string unit)
    {
        var inner = _inner.Start(description, total, unit);
        int task;
        lock (_lock)
        {
            if (total < _status.ItemsTotal) return inner;
            _status = _status with { ItemsTotal = total, ItemsDone = 0 };
            task = ++_counted;
        }
        return new Counted(this, inner, task);
    }

    public void Note(string message) => _inner.Note(message);

    /// <summary>The shard finished: its outputs are in place.</summary>
    public void Finish()
    {
        lock (_lock) _status = _status with
        {
            State = ShardStatus.Done, ItemsDone = _status.ItemsTotal, EndedUtc = DateTime.UtcNow,
            Stamps = _status.Outputs.Select(ShardOutputStamp.Of).ToList(),
        };
        Write(force: true);
    }

    /// <summary>The shard stopped with an error (its one line).</summary>
    public void Fail(string message)
    {
        lock (_lock) _status = _status with { State = ShardStatus.Failed, EndedUtc = DateTime.UtcNow, Message = message };
        Write(force: true);
    }

    private void Advance(int task, long units)
    {
        lock (_lock)
        {
            if (task != _counted) return;
            _status = _status with { ItemsDone = _status.ItemsDone + units };
        }
        Write(force: false);
    }

    private void Write(bool force)
    {
        string json;
        long version;
        lock (_lock)
        {
            var now = _clock.Elapsed;
            if (!force && now - _written < _interval) return;
            _written = now;
            _status = _status with { UpdatedUtc = DateTime.UtcNow, RatePerSecond = now.TotalSeconds > 0 ? _status.ItemsDone / now.TotalSeconds : 0 };
            json = _status.ToJson();
            version = ++_version;
        }
        lock (_fileLock)
        {
            if (version < _versionWritten) return;
            AtomicFile.Write(_path, stream => stream.Write(Encoding.UTF8.GetBytes(json + "\n")));
            _versionWritten = version;
        }
    }

    private sealed class Counted(ShardStatusWriter owner, IProgressTask inner, int task) : IProgressTask
    {
        public void Advance(long units, string? detail = null)
        {
            inner.Advance(units, detail);
            owner.Advance(task, units);
        }

        public void Dispose() => inner.Dispose();
    }
}
