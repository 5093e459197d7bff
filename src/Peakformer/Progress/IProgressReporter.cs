namespace Peakformer.Progress;

/// <summary>Where long-running library work reports its progress; the CLI draws bars, tests pass <see cref="NullProgress"/>.</summary>
public interface IProgressReporter
{
    /// <summary>Starts a task of <paramref name="total"/> units (events, steps, epochs...).</summary>
    IProgressTask Start(string description, long total, string unit);

    /// <summary>A line of information that is not progress (a summary, a warning).</summary>
    void Note(string message);
}

/// <summary>One running task; dispose it when done.</summary>
public interface IProgressTask : IDisposable
{
    /// <summary>Adds completed units; detail is shown beside the bar (e.g. "loss 0.231 AUC 0.974").</summary>
    void Advance(long units, string? detail = null);
}
