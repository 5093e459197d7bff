namespace Peakformer.Progress;

/// <summary>Discards progress (tests, library callers that do not care).</summary>
public sealed class NullProgress : IProgressReporter, IProgressTask
{
    public static readonly NullProgress Instance = new();

    public IProgressTask Start(string description, long total, string unit) => this;
    public void Note(string message) { }
    public void Advance(long units, string? detail = null) { }
    public void Dispose() { }
}
