namespace Peakformer.Reports;

/// <summary>
/// Writes a folder of report files under a temporary sibling name and moves it into place at the end, so a failed
/// run leaves no half-written report (and an existing one is replaced only when asked).
/// </summary>
public sealed class ReportFolder : IDisposable
{
    private readonly string _target;
    private bool _committed;

    public ReportFolder(string target)
    {
        _target = Path.GetFullPath(target).TrimEnd(Path.DirectorySeparatorChar);
        Temporary = Path.Combine(Path.GetDirectoryName(_target)!, $".{Path.GetFileName(_target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(Temporary);
    }

    public string Temporary { get; }

    public string File(string name) => Path.Combine(Temporary, name);

    public void Commit()
    {
        if (Directory.Exists(_target)) Directory.Delete(_target, recursive: true);
        Directory.Move(Temporary, _target);
        _committed = true;
    }

    public void Dispose()
    {
        if (!_committed && Directory.Exists(Temporary)) Directory.Delete(Temporary, recursive: true);
    }
}
